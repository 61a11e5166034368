"""Cases of the problem table understand/data/problems_corpus_a.yaml, read by
`test_understand_corpus.py`: vignettes that describe each entry's condition without naming it, other
phrasings, near misses, questions about other conditions and questions that name it. Written for these
tests, independently of the evaluation question sets."""

FILE = "problems_corpus_a.yaml"
#: Whether every first-read vignette leaves the condition unnamed (some entries here are told by a
#: test result that names them: an endoscopy's varices, a genotype).
FIRST_INFERRED = False
#: The fewest entries the table holds.
MIN_ENTRIES = 15

# (entry key, vignette). The entry's problem must come first in the reading.
FIRST: list[tuple[str, str]] = [
    (
        "cmv_after_transplant",
        (
            "Day 45 after an allogeneic stem cell transplant, his CMV PCR has risen to 12,000 copies/ml; he is on "
            "tacrolimus. Start ganciclovir?"
        ),
    ),
    (
        "hiv_associated_malignancy",
        (
            "34-year-old man with HIV, CD4 count 90, not on treatment, has several purple plaques on his shins and "
            "one on his hard palate. How should it be treated?"
        ),
    ),
    (
        "clopidogrel_cyp2c19",
        (
            "Stented for an NSTEMI last week; genotyping shows he is a CYP2C19 *2/*2 poor metaboliser on "
            "clopidogrel. Switch to ticagrelor?"
        ),
    ),
    (
        "codeine_cyp2d6",
        (
            "Breastfed 8-day-old is very sleepy and feeding poorly; his mother takes codeine after her caesarean "
            "and is known to metabolise it very quickly. What to advise?"
        ),
    ),
    (
        "thrombophilia",
        (
            "26-year-old woman wants the combined pill; her mother and her sister both had a DVT in their thirties. "
            "Should she be tested?"
        ),
    ),
    (
        "nonischaemic_cardiomyopathy",
        (
            "23-year-old man with chest pain and breathlessness a week after a flu-like illness; troponin is raised, "
            "the coronary angiogram is normal and echo shows an EF of 35%. Which scan next?"
        ),
    ),
    (
        "lower_limb_bypass_graft",
        (
            "Eight months after a vein bypass for critical limb ischaemia, duplex shows a peak systolic velocity "
            "ratio of 4 at the distal anastomosis and his ABPI has fallen to 0.6. Angioplasty?"
        ),
    ),
    (
        "oesophageal_dysphagia",
        (
            "45-year-old man says bread and meat stick behind his breastbone and he has to drink water to wash it "
            "down; he has had heartburn for years. Which investigation first?"
        ),
    ),
    (
        "oesophageal_varices",
        (
            "Man with alcohol-related cirrhosis, platelets 80; screening gastroscopy shows large varices with red "
            "signs. Carvedilol or banding?"
        ),
    ),
    (
        "urinary_tract_obstruction",
        (
            "Woman with advanced cervical cancer has a creatinine of 420 and poor urine output; ultrasound shows "
            "both kidneys dilated with dilated ureters. Stent or tube?"
        ),
    ),
    (
        "ovulatory_dysfunction_bleeding",
        (
            "15-year-old, periods irregular since menarche: none for three months, then heavy bleeding with clots "
            "for two weeks; Hb 98. How to stop it?"
        ),
    ),
    (
        "post_abortion_haemorrhage",
        (
            "An hour after a suction termination at 10 weeks she is soaking a pad every 15 minutes and passing "
            "large clots; pulse 120. What now?"
        ),
    ),
    (
        "ovarian_germ_cell_tumour",
        (
            "19-year-old with abdominal swelling; ultrasound shows a 14 cm solid mass arising from her right ovary "
            "and LDH is raised. Can her fertility be preserved?"
        ),
    ),
    (
        "vaginal_cancer",
        (
            "70-year-old who had a hysterectomy years ago has blood-stained discharge; speculum shows an ulcerated "
            "lesion on the posterior vaginal wall. Treatment?"
        ),
    ),
    (
        "vulval_cancer",
        (
            "80-year-old with years of vulval itching now has a painful bleeding ulcer on her right labium and a "
            "hard groin node. Which surgery?"
        ),
    ),
    (
        "female_genital_cosmetic_surgery",
        (
            "17-year-old is embarrassed that her labia are too long and stick out in swimwear; she wants them "
            "reduced. Should I refer her?"
        ),
    ),
    (
        "vitreomacular_traction",
        (
            "68-year-old says straight lines look wavy in his right eye; OCT shows the vitreous still attached and "
            "pulling on the fovea. Injection or vitrectomy?"
        ),
    ),
    (
        "adrenocortical_carcinoma",
        (
            "41-year-old woman with new hirsutism and a deepening voice; CT shows a 9 cm heterogeneous left adrenal "
            "mass. Next step?"
        ),
    ),
    (
        "extragonadal_germ_cell_tumour",
        (
            "24-year-old man with cough and chest pain has a large anterior mediastinal mass and a very high "
            "beta-hCG; testicular ultrasound is normal. Chemotherapy regimen?"
        ),
    ),
]

# More vignettes, phrased differently. The entry's problem must be among the problems read.
AMONG: list[tuple[str, str]] = [
    (
        "cmv_after_transplant",
        "Three months after a kidney transplant she has a fever and her CMV viral load is 50,000. Valganciclovir?",
    ),
    ("thrombophilia", "Young man with an unprovoked PE; his father also had clots. Worth a blood test for causes?"),
    (
        "nonischaemic_cardiomyopathy",
        "Breathless 50-year-old with an LVEF of 30% and no coronary artery disease on CT angiography; heavy drinker.",
    ),
    (
        "oesophageal_dysphagia",
        "Teenager with asthma and eczema keeps getting food stuck in his gullet and has to wash it down.",
    ),
    (
        "urinary_tract_obstruction",
        "Man with prostate cancer, rising creatinine and bilateral pelvicalyceal dilatation on ultrasound.",
    ),
    (
        "post_abortion_haemorrhage",
        "Heavy bleeding with large clots two days after a medical abortion with misoprostol; she feels faint.",
    ),
    ("vaginal_cancer", "Postcoital bleeding in a 60-year-old with a nodule on the anterior vaginal wall."),
    ("vitreomacular_traction", "Central blurring and distortion; OCT shows traction on the macula."),
    (
        "adrenocortical_carcinoma",
        "Rapidly growing 12 cm right adrenal tumour with a raised DHEAS and cortisol that does not suppress.",
    ),
]

# (entry key, near-miss): a neighbouring presentation that must not be read as the entry at all.
NOT_AS: list[tuple[str, str]] = [
    ("cmv_after_transplant", "Pregnant woman has a positive CMV IgM at 20 weeks. What does it mean for the baby?"),
    (
        "hiv_associated_malignancy",
        "Elderly woman with purple blotches on her forearms where she bumps them.",
    ),
    ("clopidogrel_cyp2c19", "On clopidogrel after a coronary stent; can he have a tooth extracted?"),
    ("codeine_cyp2d6", "Codeine made her constipated after her wisdom teeth were removed. What instead?"),
    ("thrombophilia", "65-year-old with a DVT after a knee replacement. How long should anticoagulation last?"),
    (
        "nonischaemic_cardiomyopathy",
        "60-year-old smoker with crushing chest pain, raised troponin and an occluded LAD on angiography.",
    ),
    ("oesophageal_dysphagia", "Four days after her stroke she coughs and splutters when drinking water."),
    (
        "urinary_tract_obstruction",
        "Loin to groin pain with blood in the urine; CT shows a 4 mm stone in the lower ureter.",
    ),
    (
        "ovulatory_dysfunction_bleeding",
        "42-year-old with regular but very heavy periods and clots; scan shows a 5 cm fibroid.",
    ),
    ("post_abortion_haemorrhage", "Soaking pads with heavy bleeding an hour after a vaginal delivery of twins."),
    (
        "ovarian_germ_cell_tumour",
        "Positive pregnancy test, hCG 1500, no intrauterine pregnancy and pain near her left ovary.",
    ),
    ("ovulatory_dysfunction_bleeding", "Woman with heavy periods and an irregularly enlarged uterus on examination."),
    ("vaginal_cancer", "Postmenopausal woman with vaginal dryness and pain during sex. Which oestrogen?"),
    ("vulval_cancer", "Painful blisters and ulcers on the vulva with dysuria after a new partner."),
    ("female_genital_cosmetic_surgery", "Her labia are swollen and itchy since she started a new soap."),
    (
        "vitreomacular_traction",
        "80-year-old with sudden distortion in his right eye; drusen and a haemorrhage at the macula.",
    ),
    ("adrenocortical_carcinoma", "Incidental 2 cm adrenal nodule of -5 HU on CT in a 55-year-old. Follow-up?"),
    (
        "extragonadal_germ_cell_tumour",
        "Young man with night sweats, itching and an anterior mediastinal mass. Biopsy?",
    ),
    ("oesophageal_varices", "Vomiting blood after an evening of heavy drinking and retching; no liver disease."),
]

# Questions about other conditions, lay and non-medical questions: no problem of this table may be read.
NONE_OF_MINE: list[str] = [
    "Teenager with throat tightness, wheeze and BP 80/50 minutes after eating cashews. What is the first drug?",
    "72-year-old with crushing central chest pain radiating to the left arm, sweaty, ST elevation on ECG.",
    "Breathless man with orthopnoea, ankle swelling, bibasal crackles and a raised BNP. Which drug?",
    "Swollen painful calf after a long-haul flight. D-dimer?",
    "Woman with vulval itch and thick white curd-like discharge. Which treatment?",
    "6 weeks pregnant with vaginal bleeding and cramping. Scan?",
    "Woman aged 51 with hot flushes and night sweats, periods irregular. HRT?",
    "Burning on passing urine and frequency in a 30-year-old woman. Which antibiotic?",
    "Coffee-ground vomiting and melaena, haemodynamically stable, on aspirin. When to scope?",
    "Gradual memory loss over two years, getting lost while driving. Which drug?",
    "Itchy red rash under her watch strap and jeans button. Which test?",
    "Unilateral throbbing headache with nausea and photophobia lasting hours. Which triptan?",
    "Do I need antibiotics for a cold?",
    "Is paracetamol safe in pregnancy for a headache?",
    "What's the best way to remove a wine stain from a carpet?",
    "How do I fix a dripping tap?",
    "Recipe for a vegan chocolate cake?",
]

#: Questions naming the condition (as a patient or a title would): read as it, not inferred.
NAMED: dict[str, str] = {
    "How is Kaposi sarcoma treated in a man with HIV?": "hiv_associated_malignancy",
    "Is ocriplasmin effective for vitreomacular traction?": "vitreomacular_traction",
    "When does hydronephrosis need a nephrostomy?": "urinary_tract_obstruction",
    "How is a dysgerminoma treated in a young woman?": "ovarian_germ_cell_tumour",
    "Is MTHFR polymorphism testing useful?": "thrombophilia",
    "Is labiaplasty appropriate for a 16-year-old?": "female_genital_cosmetic_surgery",
    "What is the role of mitotane in adrenocortical carcinoma?": "adrenocortical_carcinoma",
    "Should codeine be avoided in CYP2D6 ultrarapid metabolisers?": "codeine_cyp2d6",
    "How is myocarditis followed up?": "nonischaemic_cardiomyopathy",
    "How often should oesophageal varices be screened for?": "oesophageal_varices",
}

#: A name that is part of another condition's name must not name the entry.
WITHIN: dict[str, str] = {
    "Congenital CMV infection in a newborn: valganciclovir?": "cmv_after_transplant",
    "Varicose veins in pregnancy: compression stockings?": "oesophageal_varices",
    "Abnormal uterine bleeding from a fibroid: tranexamic acid?": "ovulatory_dysfunction_bleeding",
    "Testicular germ cell tumour stage I: surveillance?": "extragonadal_germ_cell_tumour",
    "Cervical cancer screening at 25: HPV test?": "vaginal_cancer",
}
