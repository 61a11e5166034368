"""Cases of the problem table understand/data/problems_corpus_b.yaml, read by
`test_understand_corpus.py`: vignettes that describe each entry's condition without naming it, other
phrasings, near misses, questions about other conditions and questions that name it. Written for these
tests, independently of the evaluation question sets."""

FILE = "problems_corpus_b.yaml"
#: Whether every first-read vignette leaves the condition unnamed (read as inferred).
FIRST_INFERRED = True
#: The fewest entries the table holds.
MIN_ENTRIES = 15

# (entry key, vignette). The entry's problem must come first in the reading.
FIRST: list[tuple[str, str]] = [
    (
        "haemoptysis",
        (
            "58-year-old smoker has brought up a teaspoon of bright red blood twice this week; chest x-ray is clear. "
            "CT next?"
        ),
    ),
    (
        "occupational_lung_disease",
        (
            "Retired shipyard worker of 72 with progressive breathlessness and bibasal fine crackles; CT shows pleural "
            "plaques. Compensation and follow-up?"
        ),
    ),
    (
        "immunocompromised_respiratory_illness",
        (
            "Kidney transplant recipient on tacrolimus and mycophenolate has a dry cough and sats of 88% on air; CT "
            "shows diffuse ground-glass change. Which tests?"
        ),
    ),
    (
        "blunt_thoracic_aortic_injury",
        (
            "Driver in a high-speed head-on collision, BP 100/60; chest x-ray shows a widened mediastinum and a left "
            "haemothorax. CT angiogram and then?"
        ),
    ),
    (
        "traumatic_cardiac_arrest",
        (
            "Young man stabbed in the left chest lost his pulse on arrival in resus 5 minutes ago; CPR ongoing. Should "
            "we open the chest?"
        ),
    ),
    (
        "femoral_shaft_fracture",
        "6-year-old hit by a car has a shortened, angulated right thigh; distal pulses present. Spica cast or nails?",
    ),
    (
        "foot_injury",
        (
            "Builder dropped a steel beam on his foot; the midfoot is swollen with plantar bruising and he can't bear "
            "weight. X-ray is normal. CT?"
        ),
    ),
    (
        "bone_metastases",
        (
            "Woman with breast cancer has pain in her right thigh at night; x-ray shows a 3 cm lytic lesion in the "
            "proximal femur with cortical erosion. Fix it prophylactically?"
        ),
    ),
    (
        "cancer_related_fatigue",
        (
            "48-year-old finished chemotherapy for lymphoma a year ago and is still exhausted despite sleeping well; "
            "bloods normal. What helps?"
        ),
    ),
    (
        "invasive_fungal_infection",
        "9-year-old starting induction for AML. Should he have posaconazole or fluconazole during neutropenia?",
    ),
    (
        "abdominal_mass",
        (
            "Mum felt a firm painless lump in the left side of her 3-year-old's tummy at bath time; he is well. Which "
            "imaging first?"
        ),
    ),
    (
        "infected_fluid_collection",
        (
            "Day 8 after an anterior resection he has swinging fevers and CT shows a 6 cm rim-enhancing pelvic "
            "collection. Drain it percutaneously?"
        ),
    ),
    (
        "hip_arthroplasty_complications",
        (
            "72-year-old with a hip replacement 12 years ago has new groin pain on walking; x-ray shows lucency around "
            "the cup. Which further imaging?"
        ),
    ),
    (
        "fever_of_unknown_origin",
        (
            "Fevers for three weeks in a 45-year-old with night sweats; no source found despite blood cultures, CXR "
            "and urine. Is PET-CT next?"
        ),
    ),
    (
        "chronic_multisymptom_illness",
        "Army veteran deployed to Iraq has had fatigue, joint pains and brain fog for 3 years; all tests normal.",
    ),
    (
        "transplant_rejection",
        (
            "Liver transplant recipient on tacrolimus 6 weeks post-op has rising ALT and a trough of 3. Switch to "
            "everolimus?"
        ),
    ),
    (
        "hypoactive_sexual_desire_disorder",
        (
            "52-year-old woman after surgical menopause has lost all interest in sex, which is distressing her. Is "
            "testosterone gel appropriate?"
        ),
    ),
    (
        "challenging_behaviour",
        (
            "Non-verbal young man with a severe learning disability has started head-banging and biting staff at his "
            "group home. Should we use risperidone?"
        ),
    ),
    (
        "attachment_difficulties",
        (
            "6-year-old adopted at 3 after neglect is overly friendly with strangers and never turns to his new "
            "parents for comfort. What intervention?"
        ),
    ),
    (
        "vaccination_pain",
        (
            "Her 2-month-old screamed at his last injections and she dreads next week. Does sucrose or breastfeeding "
            "during the vaccines help?"
        ),
    ),
]

# More vignettes, phrased differently. The entry's problem must be among the problems read.
AMONG: list[tuple[str, str]] = [
    ("haemoptysis", "Man on apixaban with sputum streaked with blood for a week. Stop the anticoagulant?"),
    ("occupational_lung_disease", "Former coal miner with upper zone nodules and breathlessness on exertion."),
    (
        "blunt_thoracic_aortic_injury",
        "Motorcyclist thrown from his bike at speed; CT shows a pseudoaneurysm at the aortic isthmus.",
    ),
    ("traumatic_cardiac_arrest", "Gunshot wound to the abdomen, lost output in the ambulance; asystole on arrival."),
    ("foot_injury", "Landed on his heels after falling off a ladder; his foot is swollen and he cannot walk."),
    (
        "invasive_fungal_infection",
        "Child after an allogeneic stem cell transplant with GVHD; galactomannan positive on day 40.",
    ),
    (
        "transplant_rejection",
        "Kidney transplant recipient on ciclosporin with a rising creatinine; biopsy shows tubulitis.",
    ),
    ("chronic_multisymptom_illness", "Gulf War veteran with memory problems, muscle aches and exhaustion for years."),
    ("hypoactive_sexual_desire_disorder", "Postmenopausal woman with low libido that is upsetting her partner."),
]

# (entry key, near-miss): a neighbouring presentation that must not be read as the entry at all.
NOT_AS: list[tuple[str, str]] = [
    ("haemoptysis", "Vomited coffee-ground material twice and has melaena; on aspirin. When to scope?"),
    ("occupational_lung_disease", "65-year-old ex-smoker with breathlessness on exertion and FEV1/FVC 0.55. Inhaler?"),
    (
        "immunocompromised_respiratory_illness",
        "Healthy 30-year-old with fever, productive cough and right lower lobe consolidation; CURB-65 of 0.",
    ),
    (
        "blunt_thoracic_aortic_injury",
        "Sudden tearing chest pain radiating to the back in a hypertensive man; CT shows an intimal flap.",
    ),
    ("traumatic_cardiac_arrest", "Collapsed at home in VF arrest; ROSC after three shocks. Cooling?"),
    (
        "femoral_shaft_fracture",
        "85-year-old fell at home and has a shortened, externally rotated left leg. Surgery within 36 hours?",
    ),
    (
        "foot_injury",
        "Rolled her ankle playing netball; tender over the lateral malleolus and can walk four steps. X-ray?",
    ),
    (
        "bone_metastases",
        (
            "Man with prostate cancer has back pain, sclerotic lesions in the thoracic spine and new weakness in both "
            "legs."
        ),
    ),
    ("cancer_related_fatigue", "29-year-old woman exhausted for months with heavy periods; ferritin 6. Iron?"),
    ("invasive_fungal_infection", "Woman with vulval itch and white discharge; the swab grows candida. Fluconazole?"),
    ("abdominal_mass", "70-year-old man with a pulsatile expansile mass in the abdomen found by his GP. Ultrasound?"),
    ("infected_fluid_collection", "After an appendicectomy the wound is red, hot and discharging pus. Antibiotics?"),
    (
        "hip_arthroplasty_complications",
        (
            "67-year-old with hip pain on walking and stiffness; x-ray shows joint space narrowing. When to refer for "
            "a hip replacement?"
        ),
    ),
    ("fever_of_unknown_origin", "3-year-old with fever for 6 days, red eyes, cracked lips and swollen hands. Echo?"),
    (
        "chronic_multisymptom_illness",
        "40-year-old woman with widespread pain, fatigue and poor sleep for 2 years; bloods normal. Duloxetine?",
    ),
    (
        "transplant_rejection",
        "Kidney transplant recipient on tacrolimus with a cough and fever; CXR shows consolidation.",
    ),
    (
        "hypoactive_sexual_desire_disorder",
        "55-year-old man with erectile dysfunction and low libido; testosterone 6 nmol/L. Replace it?",
    ),
    ("challenging_behaviour", "Teenager with ADHD is aggressive at school and throwing things in class. Medication?"),
    (
        "attachment_difficulties",
        "4-year-old with no pointing, poor eye contact and repetitive hand flapping. Autism assessment?",
    ),
    ("vaccination_pain", "Her arm is red and swollen two days after her tetanus vaccine. Antibiotics?"),
]

# Questions about other conditions, lay and non-medical questions: no problem of this table may be read.
NONE_OF_MINE: list[str] = [
    "Teenager with throat tightness, wheeze and BP 80/50 minutes after eating cashews. What is the first drug?",
    "72-year-old with crushing central chest pain radiating to the left arm, sweaty, ST elevation on ECG.",
    "Hot, red, swollen big toe that woke him overnight. Which drug first?",
    "Type 1 diabetic, vomiting, glucose 28, ketones 5, pH 7.1. Fluids?",
    "Swollen painful calf after a long-haul flight. D-dimer?",
    "Burning on passing urine and frequency in a 30-year-old woman. Which antibiotic?",
    "Unilateral throbbing headache with nausea and photophobia lasting hours. Which triptan?",
    "Child with a barking cough and stridor at night. Dexamethasone dose?",
    "Resting pill-rolling tremor and slow movements in a 70-year-old. First-line drug?",
    "Woman aged 51 with hot flushes and night sweats, periods irregular. HRT?",
    "Middle-aged man with low back pain after lifting, no red flags. Which painkiller?",
    "Itchy flexural rash in a 3-year-old with asthma. Which emollient?",
    "Is the MMR vaccine safe for my son?",
    "Do I need antibiotics for a cold?",
    "What's the best way to remove a wine stain from a carpet?",
    "How do I fix a dripping tap?",
    "How often should I change the oil in my car?",
]

#: Questions naming the condition (as a patient or a title would): read as it, not inferred.
NAMED: dict[str, str] = {
    "How should haemoptysis be imaged?": "haemoptysis",
    "Imaging for suspected blunt traumatic aortic injury?": "blunt_thoracic_aortic_injury",
    "When is an emergency department thoracotomy indicated?": "traumatic_cardiac_arrest",
    "Which antifungal prophylaxis for children with leukaemia?": "invasive_fungal_infection",
    "How is silicosis monitored?": "occupational_lung_disease",
    "Which imaging for a palpable abdominal mass in a child?": "abdominal_mass",
    "Treatment of Gulf War illness?": "chronic_multisymptom_illness",
    "How to reduce pain from vaccine injections in infants?": "vaccination_pain",
    "Is there a role for testosterone in hypoactive sexual desire disorder?": "hypoactive_sexual_desire_disorder",
    "Investigation of fever of unknown origin in a child?": "fever_of_unknown_origin",
}

WITHIN: dict[str, str] = {}
