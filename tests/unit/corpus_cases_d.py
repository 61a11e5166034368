"""Cases of the problem table understand/data/problems_corpus_d.yaml, read by
`test_understand_corpus.py`: vignettes that describe each entry's condition without naming it, other
phrasings, near misses, questions about other conditions and questions that name it. Written for these
tests, independently of the evaluation question sets."""

FILE = "problems_corpus_d.yaml"
#: Whether every first-read vignette leaves the condition unnamed (some entries here are told by a
#: test result that names them: an endoscopy's varices, a genotype).
FIRST_INFERRED = False
#: The fewest entries the table holds.
MIN_ENTRIES = 15

# (entry key, vignette). The entry's problem must come first in the reading.
FIRST: list[tuple[str, str]] = [
    # trauma
    (
        "penetrating_abdominal_trauma",
        (
            "25-year-old stabbed in the left flank, haemodynamically stable, abdomen soft. How long should "
            "antibiotics be given?"
        ),
    ),
    (
        "penetrating_lower_limb_arterial_injury",
        (
            "Man stabbed in the right thigh has pulsatile bleeding from the wound and absent foot pulses. "
            "Straight to theatre or CT angiogram first?"
        ),
    ),
    (
        "blunt_cardiac_injury",
        (
            "Driver hit the steering wheel in a 40 mph crash; he has a sternal fracture and the ECG shows new "
            "RBBB. Does he need troponin and echo?"
        ),
    ),
    (
        "thoracolumbar_spine_injury",
        (
            "35-year-old roofer fell 4 metres off scaffolding and landed on his feet; he has calcaneal fractures "
            "and is tender over L1. Which imaging of the spine?"
        ),
    ),
    (
        "orbital_injury",
        (
            "Rugby player elbowed in the right eye; now has double vision on looking up and a numb cheek and "
            "upper lip. Which scan, and does he need surgery?"
        ),
    ),
    # anaesthesia and surgery
    (
        "postoperative_nausea_vomiting",
        (
            "38-year-old non-smoking woman is still vomiting in recovery two hours after laparoscopic "
            "cholecystectomy despite ondansetron. What next?"
        ),
    ),
    (
        "operating_room_fire",
        (
            "During a tracheostomy under general anaesthetic the surgeon used diathermy to open the trachea and a "
            "flame appeared in the airway. What should be done immediately?"
        ),
    ),
    # cancer
    (
        "lymphoedema",
        (
            "Two years after mastectomy and axillary node clearance, her left arm is swollen and feels heavy; "
            "Doppler was negative for clot. Compression sleeve?"
        ),
    ),
    (
        "fluoropyrimidine_toxicity",
        (
            "Within the first cycle of capecitabine for colon cancer he developed grade 4 diarrhoea, severe "
            "mucositis and neutropenia. Was a test missed?"
        ),
    ),
    (
        "cancer_in_pregnancy",
        (
            "At 20 weeks pregnant she is diagnosed with invasive ductal carcinoma, 3 cm and node positive. Is it "
            "safe to give anthracycline chemotherapy now?"
        ),
    ),
    (
        "childhood_cancer_survivor",
        (
            "25-year-old woman had mantle radiotherapy and doxorubicin for Hodgkin lymphoma at the age of 14. "
            "What surveillance does she need now?"
        ),
    ),
    (
        "cholangiocarcinoma",
        (
            "Man with PSC now has painless jaundice, a hilar stricture on MRCP and a CA 19-9 of 900. How should "
            "the stricture be sampled?"
        ),
    ),
    (
        "gallbladder_polyp",
        (
            "Ultrasound for abdominal pain shows a 7 mm non-shadowing echogenic lesion on the gallbladder wall "
            "that does not move with position. Follow-up?"
        ),
    ),
    # other
    (
        "pancreatic_necrosis",
        (
            "Four weeks after severe gallstone pancreatitis he is febrile again; CT shows gas bubbles within a "
            "large peripancreatic collection. Drain or operate?"
        ),
    ),
    (
        "mild_cognitive_impairment",
        (
            "68-year-old retired teacher has become more forgetful over the last year, misplacing her keys; MoCA "
            "25/30, but she still manages her own finances and drives. Will it progress?"
        ),
    ),
    (
        "prenatal_aneuploidy_screening",
        (
            "12-week scan in a 39-year-old shows a nuchal translucency of 4.1 mm. Should she have cell-free DNA "
            "testing or go straight to CVS?"
        ),
    ),
    (
        "liver_transplant_recipient",
        (
            "Eight years after a liver transplant for alcohol-related cirrhosis, on tacrolimus, his eGFR has "
            "fallen to 40 and BP is 160/95. How to manage?"
        ),
    ),
    (
        "post_thyroidectomy_voice_change",
        (
            "Two weeks after total thyroidectomy her voice is weak and breathy and she can't raise her voice. "
            "When should her vocal cords be examined?"
        ),
    ),
    (
        "paediatric_feeding_problem",
        (
            "3-year-old boy only eats about five foods, mainly crisps and yoghurt, and gags on lumps; mealtimes "
            "are a battle and his weight is on the 9th centile. What helps?"
        ),
    ),
    (
        "shock_fluid_assessment",
        (
            "Trauma patient in resus after 2 litres of crystalloid: BP 85/50, HR 120, lactate 4, mottled knees. "
            "How do I tell whether more fluid will help?"
        ),
    ),
    (
        "psychological_crisis",
        (
            "Since her husband died suddenly last week she is overwhelmed and can't cope with the children; she is "
            "not suicidal. What support in the first few weeks?"
        ),
    ),
    (
        "headache_in_children",
        (
            "9-year-old boy has had headaches three times a week for two months; examination including fundi is "
            "normal. Does he need an MRI?"
        ),
    ),
]

# More vignettes, phrased differently. The entry's problem must be among the problems read.
AMONG: list[tuple[str, str]] = [
    (
        "penetrating_abdominal_trauma",
        "Gunshot wound to the right upper quadrant, BP 85/50, guarding on examination. Laparotomy now?",
    ),
    (
        "penetrating_lower_limb_arterial_injury",
        "Glass went into the back of his knee; there is an expanding haematoma and weak pedal pulses.",
    ),
    (
        "blunt_cardiac_injury",
        "Kicked in the chest by a horse; tender sternum and the troponin is rising. Admit for monitoring?",
    ),
    (
        "thoracolumbar_spine_injury",
        "Unrestrained passenger in a rollover crash with a lap belt mark and mid back pain. CT the spine?",
    ),
    ("orbital_injury", "Punched in the left eye last night; the eye looks sunken and upward gaze is restricted."),
    (
        "postoperative_nausea_vomiting",
        "Day-case tonsillectomy child retching after a general anaesthetic; cyclizine already given.",
    ),
    (
        "lymphoedema",
        "Swollen right leg with a positive Stemmer sign after groin node dissection for melanoma.",
    ),
    (
        "fluoropyrimidine_toxicity",
        "Severe stomatitis and profound neutropenia after her first dose of 5-FU; should she have been genotyped?",
    ),
    (
        "childhood_cancer_survivor",
        "Treated for childhood leukaemia with cranial irradiation; now 30 and asking about thyroid screening.",
    ),
    (
        "cholangiocarcinoma",
        "ERCP brushings from a common bile duct stricture are suspicious; he has painless jaundice and itching.",
    ),
    (
        "pancreatic_necrosis",
        "Three weeks into severe alcoholic pancreatitis, the CT shows a walled-off collection; persistent fever.",
    ),
    (
        "post_thyroidectomy_voice_change",
        "After a hemithyroidectomy he is hoarse and coughs when drinking; refer for laryngoscopy?",
    ),
    (
        "paediatric_feeding_problem",
        "18-month-old still on purees and bottles; she refuses solids and gags on textures.",
    ),
    (
        "shock_fluid_assessment",
        "On ICU with septic shock on noradrenaline, lactate 5; the IVC is collapsing on ultrasound. Another bolus?",
    ),
    (
        "psychological_crisis",
        "Lost his job and his home this month; he says he is falling apart and can't cope. Who can help him now?",
    ),
    (
        "headache_in_children",
        "7-year-old girl with headaches that wake her from sleep; her mother is worried about a tumour.",
    ),
]

# (entry key, near-miss): a neighbouring presentation that must not be read as the entry at all.
NOT_AS: list[tuple[str, str]] = [
    ("shock_fluid_assessment", "Septic from a UTI, BP 82/45, lactate 4.5. Which antibiotic?"),
    ("psychological_crisis", "Woman with low mood, poor sleep and no enjoyment for 3 months. Sertraline?"),
    (
        "psychological_crisis",
        "Man who was assaulted 6 months ago has flashbacks, nightmares and avoids the street. Which therapy?",
    ),
    (
        "penetrating_abdominal_trauma",
        "Boy fell off his bike onto the handlebar; bruised upper abdomen, FAST positive. CT or theatre?",
    ),
    (
        "penetrating_lower_limb_arterial_injury",
        "Sudden cold, pale, painful left leg with absent foot pulses in a man with AF. Heparin?",
    ),
    (
        "blunt_cardiac_injury",
        "Crushing central chest pain with a raised troponin and ST elevation in V2 to V4. Which antiplatelet?",
    ),
    ("blunt_cardiac_injury", "Fell onto her side at home; tender over two ribs and pain on deep breathing."),
    (
        "thoracolumbar_spine_injury",
        "74-year-old woman with osteoporosis had sudden back pain after lifting a pan; she is tender over T12.",
    ),
    ("thoracolumbar_spine_injury", "Low back pain after lifting a box in a 35-year-old man, no red flags."),
    (
        "orbital_injury",
        "6-year-old with a cold now has a red swollen eyelid, pain on moving the eye and proptosis. Admit?",
    ),
    (
        "postoperative_nausea_vomiting",
        "Four days after a right hemicolectomy he is vomiting, distended and has not passed flatus. NG tube?",
    ),
    ("postoperative_nausea_vomiting", "9 weeks pregnant and vomiting several times a day. Which antiemetic?"),
    (
        "operating_room_fire",
        "Burning pain at the wound the day after surgery where diathermy was used. Is it infected?",
    ),
    (
        "lymphoedema",
        "Painful swollen left arm with a PICC line in place for chemotherapy. Which scan?",
    ),
    (
        "fluoropyrimidine_toxicity",
        "Severe mucositis after high-dose methotrexate for leukaemia. Folinic acid rescue?",
    ),
    (
        "cancer_in_pregnancy",
        "12 weeks pregnant; she was treated for breast cancer eight years ago. Is the pregnancy high risk?",
    ),
    (
        "childhood_cancer_survivor",
        "Woman treated with chemotherapy for breast cancer aged 45, now on tamoxifen. How long?",
    ),
    (
        "cholangiocarcinoma",
        "Painless jaundice and weight loss with a mass in the head of the pancreas on CT. Resectable?",
    ),
    (
        "gallbladder_polyp",
        "Ultrasound shows multiple mobile shadowing stones in the gallbladder; she has biliary colic.",
    ),
    (
        "pancreatic_necrosis",
        "Epigastric pain radiating to the back with a lipase five times normal after a binge. Fluids?",
    ),
    (
        "mild_cognitive_impairment",
        "80-year-old whose memory is getting worse over two years; now getting lost and can't manage her tablets.",
    ),
    (
        "liver_transplant_recipient",
        "Kidney transplant recipient on tacrolimus with a rising creatinine. Biopsy?",
    ),
    ("post_thyroidectomy_voice_change", "Hoarse voice for 4 weeks in a 60-year-old smoker. Urgent referral?"),
    (
        "post_thyroidectomy_voice_change",
        "Tingling around the mouth and cramps the day after total thyroidectomy. Calcium?",
    ),
    (
        "paediatric_feeding_problem",
        "15-year-old girl restricting her food, BMI 15 and no periods for 6 months. Admit?",
    ),
    (
        "headache_in_children",
        "14-year-old with throbbing one-sided headaches with vomiting and photophobia. Which triptan?",
    ),
    ("headache_in_children", "45-year-old with headaches for two months. Does she need a CT?"),
    (
        "prenatal_aneuploidy_screening",
        "Booking scan at 12 weeks shows twins. How often should she be scanned?",
    ),
]

# Questions about other conditions, lay and non-medical questions: no problem of this table may be read.
NONE_OF_MINE: list[str] = [
    "Teenager with throat tightness, wheeze and BP 80/50 minutes after eating cashews. What is the first drug?",
    "Coffee-ground vomiting and melaena, haemodynamically stable, on aspirin. When to scope?",
    "Hot, red, swollen big toe that woke him overnight; he is diabetic. Which drug first?",
    "Breathless man with orthopnoea, ankle swelling, bibasal crackles and a raised BNP. Which drug?",
    "Type 1 diabetic, vomiting, glucose 28, ketones 5, pH 7.1. Fluids?",
    "5-year-old with fever and a limp, refusing to bear weight on the right leg.",
    "6 weeks pregnant with vaginal bleeding and cramping. Scan?",
    "Child with a barking cough and stridor at night. Dexamethasone dose?",
    "Unilateral throbbing headache with nausea and photophobia lasting hours in a 30-year-old. Which triptan?",
    "Woman aged 51 with hot flushes and night sweats, periods irregular. HRT?",
    "Two days of diarrhoea and vomiting in a toddler. Oral rehydration?",
    "Swollen painful calf after a long-haul flight. D-dimer?",
    "Burning on passing urine and frequency in a 30-year-old woman. Which antibiotic?",
    "Itchy flexural rash in a 3-year-old with asthma. Which emollient?",
    "Do I need antibiotics for a cold?",
    "Is paracetamol safe in pregnancy for a headache?",
    "What's the best way to remove a wine stain from a carpet?",
    "How do I light a fire in a wood-burning stove?",
    "What is the best age to start my toddler on a scooter?",
    "Recipe for a vegan chocolate cake?",
]

#: Questions naming the condition (as a patient or a title would): read as it, not inferred.
NAMED: dict[str, str] = {
    "How is postoperative nausea and vomiting prevented in high-risk patients?": "postoperative_nausea_vomiting",
    "When should a gallbladder polyp be removed?": "gallbladder_polyp",
    "Management of an orbital blowout fracture?": "orbital_injury",
    "Who should be screened for blunt cardiac injury?": "blunt_cardiac_injury",
    "How should lymphoedema of the arm be treated?": "lymphoedema",
    "Is chemotherapy in pregnancy safe for the baby?": "cancer_in_pregnancy",
    "Does mild cognitive impairment respond to cholinesterase inhibitors?": "mild_cognitive_impairment",
    "How is cholangiocarcinoma staged?": "cholangiocarcinoma",
    "Antibiotic prophylaxis for penetrating abdominal trauma: how long?": "penetrating_abdominal_trauma",
    "How can operating room fires be prevented?": "operating_room_fire",
}

WITHIN: dict[str, str] = {}
