"""Cases of the problem table understand/data/problems_corpus_c.yaml, read by
`test_understand_corpus.py`: vignettes that describe each entry's condition without naming it, other
phrasings, near misses, questions about other conditions and questions that name it. Written for these
tests, independently of the evaluation question sets."""

FILE = "problems_corpus_c.yaml"
#: Whether every first-read vignette leaves the condition unnamed (some entries here are told by a
#: test result that names them: an endoscopy's varices, a genotype).
FIRST_INFERRED = False
#: The fewest entries the table holds.
MIN_ENTRIES = 10

# (entry key, vignette). The entry's problem must come first in the reading.
FIRST: list[tuple[str, str]] = [
    (
        "open_fracture",
        (
            "Farmer's tibia broke in a tractor accident, with the bone sticking out through a dirty wound on his "
            "shin. Which antibiotics, and when to debride?"
        ),
    ),
    (
        "pelvic_fracture",
        (
            "Motorcyclist hit by a car, BP 82/50, HR 130, with pain on pelvic springing and a widened symphysis on "
            "the x-ray. What first?"
        ),
    ),
    (
        "shoulder_dislocation",
        (
            "Rugby player fell on his outstretched arm; the shoulder is squared off and he is holding his arm and "
            "can't move it. Reduce before the x-ray?"
        ),
    ),
    (
        "penetrating_rectal_injury",
        "Man shot in the left buttock; blood found on digital rectal exam, haemodynamically stable. Colostomy?",
    ),
    (
        "penetrating_neck_injury",
        (
            "Man stabbed in the neck with a kitchen knife has an expanding haematoma and a hoarse voice. CT "
            "angiography or straight to theatre?"
        ),
    ),
    (
        "pancreatic_injury",
        "12-year-old fell onto his bike handlebars; epigastric pain and amylase 650 the next day. Which scan?",
    ),
    (
        "reduced_fetal_movements",
        "38 weeks pregnant, she says the baby has been moving less since yesterday. What assessment is needed?",
    ),
    (
        "bloodstream_infection",
        (
            "Blood cultures grew gram-negative rods in a 70-year-old with rigors and a temperature of 38.9. Which "
            "antibiotic?"
        ),
    ),
    (
        "renal_transplant_dysfunction",
        (
            "Creatinine has risen from 110 to 190 a week after a deceased-donor kidney transplant and the graft is "
            "tender. Which imaging?"
        ),
    ),
    (
        "vestibular_hypofunction",
        (
            "Two months after vestibular neuritis she is still unsteady when turning her head and has oscillopsia "
            "when walking. What treatment?"
        ),
    ),
    (
        "large_hemispheric_infarction",
        (
            "55-year-old with a complete right MCA territory infarct yesterday is increasingly drowsy with midline "
            "shift on CT. Should he have surgery?"
        ),
    ),
    (
        "cranial_neuropathy",
        (
            "Diabetic 64-year-old with double vision worse looking to the right; he cannot abduct his right eye. "
            "Which imaging?"
        ),
    ),
    (
        "perioperative_hypothermia",
        "After a 4-hour laparotomy her temperature in recovery is 34.8 and she is shivering. How to warm her?",
    ),
    (
        "paediatric_back_pain",
        "9-year-old girl with back pain that wakes her at night, relieved by ibuprofen. Which imaging first?",
    ),
    (
        "nipple_discharge",
        "Bloody discharge from a single duct of her right nipple for 6 weeks in a 52-year-old woman. What imaging?",
    ),
    (
        "shoulder_arthroplasty_complications",
        (
            "Eight months after a reverse shoulder replacement he has increasing pain and a clunk on lifting the "
            "arm. Which imaging?"
        ),
    ),
    (
        "mrsa_vancomycin",
        (
            "On vancomycin for a Staph aureus line infection, his trough is 24 mg/L and creatinine has risen from "
            "80 to 140. How to adjust the dose?"
        ),
    ),
]

# More vignettes, phrased differently. The entry's problem must be among the problems read.
AMONG: list[tuple[str, str]] = [
    ("open_fracture", "Bone is visible in the wound over his forearm fracture after a fall from a ladder."),
    (
        "pelvic_fracture",
        "Pedestrian hit by a van with tenderness on pelvic compression and perineal bruising; HR 125.",
    ),
    ("shoulder_dislocation", "Her shoulder keeps popping out when she reaches overhead; she can't lift her arm."),
    ("penetrating_neck_injury", "Glass laceration to the side of the neck breaching platysma, with stridor."),
    ("pancreatic_injury", "Kicked in the abdomen by a horse; lipase rising and peripancreatic fluid on CT."),
    ("reduced_fetal_movements", "At 34 weeks she has not felt the baby move today; CTG shows reduced variability."),
    (
        "bloodstream_infection",
        "Both blood culture bottles flagged gram-positive cocci in clusters; febrile on the ward.",
    ),
    ("renal_transplant_dysfunction", "Falling urine output and rising creatinine in a renal transplant recipient."),
    ("vestibular_hypofunction", "After gentamicin for endocarditis he is off balance in the dark and has oscillopsia."),
    ("large_hemispheric_infarction", "NIHSS 22 left MCA stroke in a 48-year-old; now GCS dropping and a blown pupil."),
    ("cranial_neuropathy", "Ptosis with a dilated pupil and headache in a 50-year-old woman. Urgent CT angiography?"),
    (
        "perioperative_hypothermia",
        "Temperature 35.2 °C on arrival in recovery after a hip replacement in an 80-year-old.",
    ),
    ("nipple_discharge", "Her right nipple has been leaking clear fluid spontaneously for two months."),
    (
        "shoulder_arthroplasty_complications",
        "Radiolucent line around the glenoid component of a total shoulder prosthesis.",
    ),
    ("mrsa_vancomycin", "Vancomycin level 6 mg/L in a woman treated for osteomyelitis; increase the dose?"),
]

# (entry key, near-miss): a neighbouring presentation that must not be read as the entry at all.
NOT_AS: list[tuple[str, str]] = [
    ("open_fracture", "Elderly woman fell onto her outstretched hand; the wrist is deformed and swollen, skin intact."),
    ("pelvic_fracture", "82-year-old fell at home with a shortened, externally rotated leg. Surgery within 36 hours?"),
    ("shoulder_dislocation", "Painful arc on abducting the arm and night pain lying on that shoulder."),
    ("penetrating_rectal_injury", "Man shot in the thigh with a pulsatile bleed and absent foot pulses."),
    ("penetrating_rectal_injury", "Bright red blood on the toilet paper and a lump that comes down on straining."),
    ("penetrating_neck_injury", "Cyclist with neck pain after a collision, tender over C5; can the collar come off?"),
    ("pancreatic_injury", "Epigastric pain going through to the back with a lipase three times normal after a binge."),
    ("reduced_fetal_movements", "At 32 weeks the symphysis-fundal height is below the 10th centile. Which scan?"),
    (
        "bloodstream_infection",
        "Urine culture grew E. coli in a 30-year-old with dysuria and a fever. Which antibiotic?",
    ),
    ("bloodstream_infection", "Blood cultures grew nothing after 48 hours in a febrile child; stop antibiotics?"),
    ("renal_transplant_dysfunction", "Creatinine rose from 90 to 180 after starting ramipril in a man with CKD."),
    (
        "renal_transplant_dysfunction",
        "Kidney transplant recipient with a rapidly growing crusted nodule on his scalp over 6 weeks. Urgent referral?",
    ),
    ("vestibular_hypofunction", "Brief spinning when he rolls over in bed, lasting under a minute. Epley?"),
    ("large_hemispheric_infarction", "Sudden right arm weakness and slurred speech 90 minutes ago in a 70-year-old."),
    (
        "cranial_neuropathy",
        "Droopy eyelids and double vision that get worse at the end of the day; acetylcholine receptor antibodies.",
    ),
    ("cranial_neuropathy", "Sudden facial droop sparing the forehead, no other symptoms. Steroids?"),
    ("perioperative_hypothermia", "Found on the floor at home after a night, temperature 33.5, confused."),
    ("paediatric_back_pain", "Middle-aged man with low back pain after lifting, no red flags. Which painkiller?"),
    ("paediatric_back_pain", "14-year-old girl with a rib hump on bending forward; no pain. Brace?"),
    ("nipple_discharge", "Breastfeeding mother with a painful red wedge-shaped area on her breast and a fever."),
    ("shoulder_arthroplasty_complications", "Shoulder pain and stiffness after a fall, no previous surgery. X-ray?"),
    ("mrsa_vancomycin", "Penicillin-allergic man with streptococcal endocarditis: which antibiotic instead?"),
]

# Questions about other conditions, lay and non-medical questions: no problem of this table may be read.
NONE_OF_MINE: list[str] = [
    "Teenager with throat tightness, wheeze and BP 80/50 minutes after eating cashews. What is the first drug?",
    "72-year-old with crushing central chest pain radiating to the left arm, sweaty, ST elevation on ECG.",
    "Type 1 diabetic, vomiting, glucose 28, ketones 5, pH 7.1. Fluids?",
    "Middle-aged man with low back pain after lifting, no red flags. Which painkiller?",
    "Unilateral throbbing headache with nausea and photophobia lasting hours. Which triptan?",
    "Burning on passing urine and frequency in a 30-year-old woman. Which antibiotic?",
    "82-year-old fell at home and has a shortened, externally rotated leg. Surgery within 36 hours?",
    "Swollen painful calf after a long-haul flight. D-dimer?",
    "6 weeks pregnant with vaginal bleeding and cramping. Scan?",
    "Twisted his ankle playing football and can bear weight. Does he need an x-ray?",
    "Fever of 39 in a 3-year-old with a runny nose, otherwise well. Paracetamol or ibuprofen?",
    "Hot, red, swollen big toe that woke him overnight; he is diabetic. Which drug first?",
    "Do I need antibiotics for a cold?",
    "How do I fix a dripping tap?",
    "Recipe for a vegan chocolate cake?",
]

#: Questions naming the condition (as a patient or a title would): read as it, not inferred.
NAMED: dict[str, str] = {
    "How is an open fracture of the tibia managed?": "open_fracture",
    "Imaging for a suspected penetrating neck injury?": "penetrating_neck_injury",
    "Does vestibular rehabilitation help peripheral vestibular hypofunction?": "vestibular_hypofunction",
    "Which imaging for renal transplant dysfunction?": "renal_transplant_dysfunction",
    "How should nipple discharge be investigated?": "nipple_discharge",
    "How is unplanned perioperative hypothermia prevented?": "perioperative_hypothermia",
    "When is a malignant MCA infarction treated with surgery?": "large_hemispheric_infarction",
    "Management of a pancreatic injury after blunt trauma?": "pancreatic_injury",
    "Which imaging for a sixth nerve palsy?": "cranial_neuropathy",
    "How is MRSA decolonisation done before surgery?": "mrsa_vancomycin",
}

WITHIN: dict[str, str] = {}
