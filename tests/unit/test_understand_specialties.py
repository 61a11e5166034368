"""The specialty problem table (understand/data/problems_specialties.yaml), read as clinicians write.

Each vignette describes a presentation without naming the condition and must be read as the
entry's problem; the negative questions (other conditions, lay and non-medical questions) must not
be read as any problem of this table. The vignettes are written for these tests, independently of
the held-out evaluation sets.
"""

from __future__ import annotations

import pytest
from problem_tables import nonmedical_questions_reading, problems_of_table_read, reader, table_names

from medcite.understand import tables


def specialty_names() -> dict[str, str]:
    """Entry key -> shown name, for every entry of problems_specialties.yaml."""
    return table_names("problems_specialties.yaml")


# (entry key, vignette). The entry's problem must come first in the reading.
FIRST: list[tuple[str, str]] = [
    # heart and vessels
    (
        "aortic_dissection",
        "58-year-old man with sudden tearing chest pain going through to his back, BP 178/96. Which imaging first?",
    ),
    (
        "valvular_heart_disease",
        (
            "78-year-old with syncope on exertion and an ejection systolic murmur radiating to the carotids."
            " When to refer?"
        ),
    ),
    (
        "infective_endocarditis",
        (
            "34-year-old who injects heroin has had fevers and rigors for a week and a new murmur. Which "
            "empirical antibiotics?"
        ),
    ),
    (
        "dental_prophylaxis",
        "Woman with a mitral valve replacement is booked for a tooth extraction. Does she need antibiotics beforehand?",
    ),
    (
        "peripheral_arterial_disease",
        (
            "67-year-old smoker gets cramping pain in his right calf on walking 200 m, relieved by rest; "
            "weak foot pulses. First-line management?"
        ),
    ),
    (
        "acute_limb_ischaemia",
        (
            "72-year-old with AF, not anticoagulated, has a suddenly cold, pale, painful left leg with no "
            "pulses below the groin. Immediate management?"
        ),
    ),
    ("dyslipidaemia", "45-year-old with LDL 6.8 mmol/L and tendon xanthomas; his father had an MI at 48. Which drug?"),
    (
        "cardiovascular_risk_prevention",
        (
            "Healthy 62-year-old woman with no history of heart disease or stroke asks whether to take a "
            "daily low-dose aspirin to prevent a heart attack."
        ),
    ),
    (
        "bradycardia_pacing",
        (
            "80-year-old with recurrent dizzy spells and a pulse of 38; P waves and QRS complexes are "
            "dissociated. Definitive treatment?"
        ),
    ),
    (
        "cardiac_arrest",
        (
            "Collapsed at a football match, bystander CPR and two shocks, now comatose in ED with a pulse. "
            "What temperature target?"
        ),
    ),
    (
        "pulmonary_hypertension",
        (
            "Echo in a woman with systemic sclerosis shows a PA systolic pressure of 60 mmHg and RV "
            "dilatation; she is breathless. Next test?"
        ),
    ),
    (
        "carotid_stenosis",
        (
            "Asymptomatic 70-year-old with a bruit over her left carotid; duplex shows 75% ICA stenosis. "
            "Refer for surgery?"
        ),
    ),
    (
        "varicose_veins",
        (
            "Woman with bulging twisted veins on both legs, aching legs by evening and skin discolouration "
            "at the ankles. When to refer?"
        ),
    ),
    # lungs
    (
        "pulmonary_fibrosis",
        (
            "70-year-old ex-smoker with progressive breathlessness over a year, dry cough, finger clubbing "
            "and fine bibasal crackles. Which scan?"
        ),
    ),
    (
        "pleural_effusion",
        (
            "Woman with breast cancer is breathless with stony dullness and reduced breath sounds at the "
            "right base. How to manage?"
        ),
    ),
    ("chronic_cough", "Non-smoker with a dry cough for 10 weeks, normal chest x-ray, takes ramipril. What next?"),
    (
        "cystic_fibrosis",
        "Toddler with recurrent chest infections, pale greasy stools and faltering growth. Which test confirms it?",
    ),
    (
        "hypercapnic_respiratory_failure",
        "COPD exacerbation with pH 7.28 and PaCO2 9.1 kPa despite nebulisers. What ventilatory support?",
    ),
    ("allergic_rhinitis", "Every spring he gets sneezing, itchy watery eyes and a runny nose. Best first treatment?"),
    (
        "hospital_acquired_pneumonia",
        (
            "Five days after admission for a hip fracture she has a fever, purulent sputum and new "
            "consolidation. Which antibiotics?"
        ),
    ),
    ("narcolepsy", "19-year-old falls asleep in lectures and his knees buckle when he laughs. Which test?"),
    (
        "carbon_monoxide_poisoning",
        (
            "The whole family have had headaches and nausea since the old gas boiler was refitted; better "
            "when they leave the house."
        ),
    ),
    (
        "opioid_overdose",
        "Found a man unrousable in a toilet with pinpoint pupils and a respiratory rate of 6. What do I give first?",
    ),
    # stomach, bowel and liver
    ("cirrhosis", "Heavy drinker with spider naevi, palmar erythema and shifting dullness. What to do with the fluid?"),
    (
        "nafld",
        (
            "Overweight man with type 2 diabetes, ALT 78, drinks little alcohol; ultrasound shows a bright "
            "liver. How to assess fibrosis?"
        ),
    ),
    (
        "eosinophilic_oesophagitis",
        "22-year-old with asthma and eczema keeps getting meat stuck when he swallows. Which test?",
    ),
    (
        "achalasia",
        "Woman with a year of dysphagia to both solids and liquids, regurgitating undigested food. Which test first?",
    ),
    (
        "oesophageal_cancer",
        "68-year-old with progressive dysphagia to solids and 8 kg weight loss over two months. How urgently to refer?",
    ),
    ("pancreatic_cancer", "70-year-old with painless jaundice, weight loss and new-onset diabetes. First imaging?"),
    (
        "gastroparesis",
        "Woman with type 1 diabetes for 25 years vomits food eaten the day before and has early satiety. Treatment?",
    ),
    (
        "small_bowel_obstruction",
        (
            "Colicky abdominal pain, bilious vomiting and a distended abdomen; not passed flatus for a day; "
            "previous laparotomy."
        ),
    ),
    (
        "mesenteric_ischaemia",
        "78-year-old with AF has severe abdominal pain but a soft, non-tender abdomen; lactate 5.1. Next step?",
    ),
    (
        "microscopic_colitis",
        (
            "65-year-old woman on lansoprazole with chronic watery diarrhoea for 3 months; colonoscopy was "
            "normal. Biopsies?"
        ),
    ),
    (
        "acute_liver_failure",
        (
            "Previously well woman is jaundiced and confused 5 days after a paracetamol overdose; INR 4.2. "
            "Refer to which unit?"
        ),
    ),
    (
        "liver_cancer",
        "Man with hepatitis B has a 3 cm lesion in the liver with arterial enhancement and washout. What next?",
    ),
    # kidney and urology
    (
        "bladder_cancer",
        "62-year-old smoker with painless visible haematuria, urine culture negative. What investigations?",
    ),
    ("renal_cancer", "CT for back pain shows an incidental 4 cm enhancing mass in the right kidney. Next step?"),
    (
        "interstitial_cystitis",
        (
            "Months of suprapubic pain that worsens as her bladder fills and eases after voiding; urine "
            "cultures keep coming back negative."
        ),
    ),
    ("testicular_cancer", "28-year-old noticed a painless hard lump in his left testicle. What tests before referral?"),
    (
        "asymptomatic_bacteriuria",
        "84-year-old care home resident with no urinary symptoms; urine culture grew E. coli. Treat?",
    ),
    (
        "urethral_stricture",
        (
            "45-year-old man with a weak, spraying urinary stream and straining to void; he had a pelvic "
            "fracture 10 years ago."
        ),
    ),
    ("cryptorchidism", "At the 8-week check the right testis cannot be felt in the scrotum. When to refer?"),
    (
        "iv_fluids",
        "Adult on the ward who is nil by mouth after surgery: what IV fluid should I prescribe and how much?",
    ),
    # hormones
    (
        "cushings_syndrome",
        (
            "Woman with purple abdominal striae, a rounded face, proximal muscle weakness and new "
            "hypertension. Which screening test?"
        ),
    ),
    ("acromegaly", "His wedding ring no longer fits, his shoe size has gone up and he sweats a lot. Which blood test?"),
    (
        "phaeochromocytoma",
        (
            "32-year-old with episodes of pounding headache, sweating and palpitations; BP 190/110 during "
            "attacks. Which test?"
        ),
    ),
    ("pituitary_adenoma", "Woman with galactorrhoea, amenorrhoea and headaches. What to test?"),
    (
        "thyroid_cancer",
        "40-year-old with a 2 cm lump in the front of her neck that moves on swallowing; TSH normal. Next step?",
    ),
    ("prediabetes", "51-year-old overweight man has an HbA1c of 44 mmol/mol. What should I advise and when to retest?"),
    # nerves and muscle
    (
        "motor_neurone_disease",
        (
            "62-year-old with painless progressive weakness and wasting of his hands, fasciculations, brisk "
            "reflexes and no sensory loss."
        ),
    ),
    (
        "myasthenia_gravis",
        (
            "Woman with double vision and drooping eyelids that get worse towards the evening, and "
            "difficulty chewing. Which test?"
        ),
    ),
    (
        "restless_legs",
        (
            "She has an urge to move her legs in the evenings with unpleasant crawling sensations, relieved "
            "by walking. Treatment?"
        ),
    ),
    (
        "guillain_barre",
        "Two weeks after a bout of diarrhoea he has ascending weakness from his feet and absent reflexes.",
    ),
    (
        "peripheral_neuropathy",
        (
            "Man with long-standing diabetes has numbness in both feet in a stocking distribution and "
            "reduced vibration sense at the toes."
        ),
    ),
    (
        "normal_pressure_hydrocephalus",
        (
            "75-year-old with a broad-based shuffling gait, urinary incontinence and slowed thinking; CT "
            "shows enlarged ventricles."
        ),
    ),
    (
        "brain_tumour",
        (
            "New headaches that are worse in the morning with vomiting, and papilloedema on fundoscopy. "
            "Which scan and how fast?"
        ),
    ),
    (
        "intracranial_haemorrhage",
        (
            "Woman on apixaban with sudden headache and right-sided weakness; CT shows a bleed in the left "
            "basal ganglia. Reversal?"
        ),
    ),
    ("cervical_spine_injury", "After diving into a shallow pool he has neck pain and tingling in both arms. Imaging?"),
    (
        "cervical_spine_injury",
        "Rugby tackle yesterday: C6-7 burst fracture, no sensation below the nipples. When to start LMWH?",
    ),
    (
        "infantile_spasms",
        "6-month-old has clusters of sudden flexion of the trunk and arms on waking and has stopped smiling.",
    ),
    (
        "cluster_headache",
        (
            "Man wakes at night with excruciating pain behind his right eye lasting 45 minutes with a "
            "watering eye, pacing the room."
        ),
    ),
    (
        "duchenne_muscular_dystrophy",
        "4-year-old boy climbs up his thighs with his hands to stand, has big calves and a CK of 15000.",
    ),
    (
        "tic_disorder",
        "9-year-old with repetitive eye blinking and throat clearing that he can suppress for a while. Treatment?",
    ),
    ("tardive_dyskinesia", "After years on haloperidol she has lip smacking and tongue thrusting. What can help?"),
    (
        "vestibular_schwannoma",
        "Unilateral sensorineural hearing loss and tinnitus in the left ear with unsteadiness. Which imaging?",
    ),
    ("spinal_infection", "Man who injects drugs has back pain and fever with point tenderness over L2. What imaging?"),
    # mind
    (
        "ocd",
        (
            "Student spends hours washing her hands because of fear of contamination and checks the door "
            "lock again and again."
        ),
    ),
    (
        "social_anxiety",
        "Teenager avoids speaking in class and eating in public because of fear of being judged. First-line treatment?",
    ),
    ("drug_misuse", "19-year-old smokes cannabis daily and uses cocaine at weekends. What brief intervention?"),
    (
        "violence_aggression",
        (
            "Patient on the psychiatric ward is throwing chairs and hitting staff and refuses oral "
            "medication. Which IM drug?"
        ),
    ),
    # bones and joints
    (
        "rotator_cuff",
        "52-year-old painter with shoulder pain on overhead reaching and a painful arc. Injection or physiotherapy?",
    ),
    (
        "adhesive_capsulitis",
        "Diabetic woman with a stiff, painful shoulder for 4 months and loss of passive external rotation. Management?",
    ),
    ("knee_injury", "Netball player twisted her knee, heard a pop and it swelled within an hour. Which scan?"),
    ("patellar_dislocation", "14-year-old dancer felt her kneecap slip out sideways and go back in. Brace or surgery?"),
    ("plantar_fasciitis", "Runner with heel pain that is worst with the first steps in the morning. What helps?"),
    (
        "lateral_epicondylitis",
        "Carpenter with pain over the outside of the elbow when gripping or turning a screwdriver. Injection?",
    ),
    (
        "wrist_fracture",
        "Fell on an outstretched hand; tender in the anatomical snuffbox but the x-ray is normal. Next step?",
    ),
    (
        "axial_spondyloarthritis",
        (
            "28-year-old man with back pain and stiffness that improves with exercise; he had uveitis last "
            "year. Which test?"
        ),
    ),
    (
        "psoriatic_arthritis",
        "Woman with psoriasis has a sausage-shaped swollen finger and painful DIP joints. First-line drug?",
    ),
    ("sle", "25-year-old woman with a butterfly rash, joint pains, mouth ulcers and a positive ANA. Which tests?"),
    (
        "juvenile_idiopathic_arthritis",
        "5-year-old with a swollen knee for 8 weeks and morning stiffness, no fever. Refer?",
    ),
    (
        "stress_fracture",
        "Marathon runner who recently increased her mileage has focal tenderness over her second metatarsal.",
    ),
    (
        "supracondylar_fracture",
        "6-year-old fell off the trampoline onto an outstretched arm; the elbow is swollen and he won't move it.",
    ),
    (
        "complex_regional_pain_syndrome",
        (
            "Since her cast came off after a wrist fracture her hand is swollen, shiny and discoloured with "
            "burning pain out of proportion."
        ),
    ),
    (
        "scoliosis",
        "13-year-old girl with one shoulder higher than the other and a rib hump when she bends forward. Refer?",
    ),
    ("congenital_torticollis", "8-week-old always turns her head to the right and has a lump in the side of her neck."),
    (
        "perthes_disease",
        "6-year-old boy with a painless limp for several weeks; x-ray shows flattening of the femoral head.",
    ),
    (
        "pagets_disease_bone",
        "70-year-old with an isolated raised alkaline phosphatase, bone pain and bowing of the tibia. Treatment?",
    ),
    ("rib_fractures", "Elderly man with chest wall pain after a fall; it is painful to take a deep breath. Analgesia?"),
    ("major_trauma", "Motorcyclist hit by a car: BP 80/50, HR 130 and a pelvic fracture. First steps?"),
    # skin
    ("contact_dermatitis", "Itchy red rash under her watch strap and jeans button. Which test?"),
    ("vulval_conditions", "Postmenopausal woman with vulval itching and white shiny patches on the labia. Treatment?"),
    (
        "skin_cancer_prevention",
        "Fair-skinned 16-year-old who burns easily and uses tanning beds. What counselling should I give?",
    ),
    (
        "diabetic_foot",
        "Man with diabetes and neuropathy has an ulcer under the first metatarsal head that probes to bone.",
    ),
    # infection
    (
        "febrile_neutropenia",
        "Woman 8 days after her third cycle of docetaxel has a temperature of 38.4. What antibiotic?",
    ),
    (
        "catheter_related_infection",
        "Patient with a PICC line for parenteral nutrition has fever and rigors after flushing the line. Remove it?",
    ),
    (
        "prosthetic_joint_infection",
        "Two years after a knee replacement he has increasing pain, a discharging sinus and raised CRP.",
    ),
    ("syphilis", "MSM with a painless ulcer on the penis three weeks after unprotected sex. Treatment?"),
    ("genital_herpes", "Painful blisters on the vulva with dysuria after a new partner. Which antiviral?"),
    ("otitis_externa", "Swimmer with ear pain on pulling the pinna and a swollen red ear canal. Drops?"),
    ("toxoplasmosis_pregnancy", "Pregnant woman who cleans the cat litter tray asks whether she should be tested."),
    (
        "pelvic_inflammatory_disease",
        "Sexually active woman with lower abdominal pain, cervical motion tenderness and fever. Antibiotics?",
    ),
    # pregnancy and women's health
    (
        "fetal_growth_restriction",
        "A woman 32 weeks pregnant has a symphysis-fundal height measuring small for dates. Which scan?",
    ),
    ("antepartum_haemorrhage", "At 33 weeks pregnant she has painless bright red vaginal bleeding. Can I examine her?"),
    ("infertility", "Couple have been trying to conceive for 18 months without success. What initial tests?"),
    ("ohss", "Three days after egg collection for IVF she has abdominal distension, pain and reduced urine output."),
    (
        "uterine_fibroids",
        "Woman with heavy periods and an irregularly enlarged uterus on examination. Treatment options?",
    ),
    ("adnexal_mass", "Incidental 6 cm complex cyst on her left ovary on ultrasound. Which blood test and referral?"),
    ("pelvic_organ_prolapse", "70-year-old woman with a feeling of something coming down in the vagina. Options?"),
    ("cervical_dysplasia", "Her smear came back showing high-grade dyskaryosis. What next?"),
    ("endometrial_cancer", "63-year-old with vaginal bleeding ten years after the menopause. First investigation?"),
    (
        "vulvovaginal_atrophy",
        "Postmenopausal woman with vaginal dryness and pain during sex. Is vaginal oestrogen safe?",
    ),
    (
        "breastfeeding",
        "Breastfeeding mother three weeks postpartum with a red, hot, tender wedge on her breast and a fever.",
    ),
    ("gynaecomastia", "16-year-old boy with tender swelling under both nipples; his breasts are enlarging. Tests?"),
    (
        "neural_tube_defect_prevention",
        "Woman with epilepsy on valproate is planning a pregnancy. What supplement and dose?",
    ),
    ("labour_care", "Primigravida at 40 weeks, 6 cm dilated for 4 hours without progress. Augment?"),
    # children and newborns
    ("infant_vomiting", "5-week-old with projectile vomiting after every feed who is still hungry. Which test?"),
    ("neonatal_hie", "Term baby with an Apgar of 3 at 10 minutes and cord pH 6.9, now floppy. Cooling?"),
    (
        "neonatal_respiratory_distress",
        "Baby born at 29 weeks is grunting with subcostal recession within minutes of birth.",
    ),
    ("brue", "3-month-old went limp and blue for 20 seconds while feeding and is now completely well. Admit?"),
    ("speech_language_delay", "2-year-old only says two words; hearing test normal. Refer?"),
    ("developmental_delay", "18-month-old is not yet walking or crawling. What assessment?"),
    ("childhood_vision_screening", "3-year-old whose left eye turns in when she is tired. Refer?"),
    (
        "myopia",
        "11-year-old boy squints at the TV and now wears -1.75 D lenses; his mother is short-sighted. Atropine drops?",
    ),
    ("dental_caries", "2-year-old with brown spots on her front teeth who goes to sleep with a bottle of juice."),
    ("lead_poisoning", "Toddler living in an old house with peeling paint who eats soil. What test?"),
    ("positional_plagiocephaly", "4-month-old with a flat spot on the back of his head. Helmet?"),
    ("severe_acute_malnutrition", "18-month-old with MUAC 108 mm and visible wasting. Treatment?"),
    # blood
    ("itp", "Otherwise well 4-year-old with petechiae after a cold; platelets 12, normal haemoglobin. Treat?"),
    ("haemophilia", "Toddler boy with spontaneous bleeding into his knee; his maternal uncle had the same problem."),
    ("thalassaemia", "Microcytic anaemia with a normal ferritin in a woman of Cypriot descent. Which test?"),
    ("b12_folate_deficiency", "Vegan with macrocytic anaemia and pins and needles in her feet. Which injections?"),
    ("acute_leukaemia", "4-year-old with bruising, pallor, bone pain and hepatosplenomegaly. Urgent tests?"),
    ("cll", "72-year-old with a lymphocytosis on a routine blood count and small painless nodes. Treat?"),
    ("lymphoma", "Young man with painless rubbery neck lymph nodes, night sweats and itching. Biopsy?"),
    ("myeloma", "70-year-old with back pain, raised calcium, raised creatinine and anaemia. Which tests?"),
    ("anticoagulant_bleeding", "INR 9 on warfarin with no bleeding. What do I do?"),
    (
        "periprocedural_antithrombotic",
        "Patient on apixaban is having a colonoscopy with polypectomy next week. When should she stop it?",
    ),
    # cancer care
    ("chemotherapy_nausea", "Starting cisplatin next week: which antiemetics to prevent vomiting?"),
    ("oral_mucositis", "During radiotherapy he has a painful, ulcerated mouth and can't eat. What helps?"),
    ("spinal_cord_compression", "Man with prostate cancer has new back pain and weakness in both legs. What now?"),
    ("head_neck_cancer", "Smoker with a non-healing ulcer on the side of his tongue for 5 weeks. Refer?"),
    ("soft_tissue_sarcoma", "A deep, growing lump in her thigh, now larger than 5 cm. Which scan?"),
    ("neuroendocrine_tumour", "Episodes of flushing and watery diarrhoea; liver lesions on CT. Which urine test?"),
    (
        "cancer_pain",
        "Woman with metastatic breast cancer has increasing pain despite regular morphine. What breakthrough dose?",
    ),
    (
        "hereditary_cancer_risk",
        (
            "Her mother had breast cancer at 42 and her aunt had ovarian cancer. Should she be referred for "
            "genetic testing?"
        ),
    ),
    # eyes, ears, nose and throat
    ("cataract", "78-year-old with gradually blurred vision and glare from oncoming headlights when driving at night."),
    (
        "macular_degeneration",
        "Straight lines look wavy to her and she has a blurred patch in the centre of her vision. Urgent referral?",
    ),
    ("diabetic_eye_disease", "Diabetic with microaneurysms and cotton wool spots on fundoscopy. How often to review?"),
    (
        "retinal_vein_occlusion",
        "Sudden painless loss of vision in one eye; the fundus shows flame haemorrhages in all quadrants.",
    ),
    ("dry_eye", "Gritty, burning eyes that are worse at the end of the day at the computer. Treatment?"),
    ("hoarseness", "Teacher who smokes has had a hoarse voice for 6 weeks. When to refer?"),
    (
        "otitis_media_with_effusion",
        "4-year-old with dull retracted eardrums who doesn't seem to hear the TV. Grommets?",
    ),
    # older people
    ("frailty", "82-year-old with slow walking speed, weak grip and unintentional weight loss. What assessment?"),
    (
        "elder_abuse",
        (
            "84-year-old with dementia has unexplained bruises and is afraid of her son, who takes her "
            "pension. What should I do?"
        ),
    ),
    ("polypharmacy", "85-year-old taking 14 different medications: which could be stopped?"),
    # operations, anaesthesia and intensive care
    (
        "preoperative_fasting",
        "How long should a child stop eating before a general anaesthetic, and can he drink water on the morning?",
    ),
    (
        "difficult_airway",
        (
            "Obese patient with Mallampati 4 and limited mouth opening for elective surgery under general "
            "anaesthetic. Plan?"
        ),
    ),
    ("procedural_sedation", "Which agent to sedate a 6-year-old for reduction of a forearm fracture in the ED?"),
    (
        "ards",
        "Ventilated patient with pancreatitis has bilateral infiltrates and a P/F ratio of 120. Ventilator settings?",
    ),
    # allergy
    ("food_allergy", "1-year-old developed hives and lip swelling minutes after eating egg. What tests?"),
    ("drug_allergy", "She had a rash after taking amoxicillin as a child. Can she have penicillin again?"),
]

# More vignettes, phrased differently (written as a second and third set to check that the table does
# not only read the first set's wording). The entry's problem must be among the problems read.
AMONG: list[tuple[str, str]] = [
    (
        "aortic_dissection",
        (
            "Hypertensive man, sudden severe chest pain radiating to the back between his shoulder blades, "
            "pulses unequal in the arms."
        ),
    ),
    (
        "infective_endocarditis",
        "Fever for 3 weeks in a man with a prosthetic aortic valve; two sets of blood cultures grew Strep.",
    ),
    (
        "peripheral_arterial_disease",
        "Diabetic smoker can only walk 100 yards before his calves cramp; ABPI not done yet. What next?",
    ),
    ("dyslipidaemia", "Total cholesterol 7.9 and LDL 5.2 in a 50-year-old with no heart disease. Which statin dose?"),
    ("bradycardia_pacing", "Elderly woman with blackouts and HR 35 on the monitor."),
    (
        "pulmonary_fibrosis",
        "Velcro crackles at both bases and clubbing in a 68-year-old with slowly worsening breathlessness.",
    ),
    (
        "chronic_cough",
        "Cough for 3 months in a 40-year-old non-smoker; CXR normal; what are the common causes to treat?",
    ),
    ("allergic_rhinitis", "Sneezing fits and a blocked runny nose every summer when the grass is cut."),
    ("cirrhosis", "Alcohol-dependent man with jaundice, spider naevi and a distended abdomen with shifting dullness."),
    (
        "oesophageal_cancer",
        "Food sticking behind his breastbone, getting worse over weeks, and he has lost 6 kg; he is 72.",
    ),
    (
        "small_bowel_obstruction",
        "Vomiting green fluid, distended abdomen, no flatus since yesterday; had a hysterectomy years ago.",
    ),
    ("bladder_cancer", "Ex-smoker aged 70 passing blood in his urine without any pain."),
    ("testicular_cancer", "Young man with a firm painless swelling in one testis."),
    ("cushings_syndrome", "Striae, moon face, easy bruising and diabetes in a 40-year-old woman."),
    ("acromegaly", "Coarsening facial features and enlarging hands over years; his gloves no longer fit."),
    ("motor_neurone_disease", "Fasciculations in the tongue and wasting of the hand muscles with brisk reflexes."),
    ("myasthenia_gravis", "Ptosis and double vision that are worse at the end of the day."),
    ("restless_legs", "Creepy-crawly sensations in his legs at night that make him get up and walk."),
    (
        "guillain_barre",
        "Tingling feet then weakness spreading up the legs over 3 days after a chest infection; reflexes absent.",
    ),
    (
        "normal_pressure_hydrocephalus",
        "Older man whose feet seem glued to the floor when walking, now incontinent and forgetful.",
    ),
    (
        "cluster_headache",
        "Every night for 3 weeks he gets stabbing pain around one eye with a runny nostril, lasting 30 minutes.",
    ),
    ("ocd", "Intrusive thoughts about harming her baby and repeated checking rituals."),
    ("rotator_cuff", "Painful arc on abducting the arm and night pain lying on that shoulder."),
    ("knee_injury", "Footballer's knee gave way after pivoting; now locks intermittently."),
    ("plantar_fasciitis", "Pain under her heel when she first gets out of bed in the morning."),
    ("axial_spondyloarthritis", "Inflammatory back pain in a 24-year-old with morning stiffness lasting an hour."),
    ("sle", "Young woman with a photosensitive rash across the cheeks and painful joints; ANA positive."),
    ("febrile_neutropenia", "Temperature 38.6 ten days after chemotherapy for lymphoma."),
    ("syphilis", "Rash on the palms and soles in a man who has sex with men."),
    ("genital_herpes", "Painful genital ulcers and tender inguinal nodes after unprotected sex."),
    (
        "antepartum_haemorrhage",
        "Pregnant at 35 weeks with sudden abdominal pain, a hard tender uterus and vaginal bleeding.",
    ),
    ("endometrial_cancer", "Postmenopausal spotting in an obese 58-year-old on tamoxifen."),
    ("infertility", "Not conceived after 2 years of regular unprotected intercourse."),
    ("infant_vomiting", "6-week-old baby boy with projectile non-bilious vomiting and weight loss."),
    ("itp", "Child with widespread bruising and petechiae, platelet count 8, otherwise well."),
    ("myeloma", "Back pain, hypercalcaemia and renal impairment in a 68-year-old; ESR 110."),
    ("lymphoma", "Enlarging painless lymph node in the neck, drenching night sweats and weight loss."),
    ("cataract", "Cloudy, misty vision slowly getting worse in both eyes, with glare from headlights."),
    ("frailty", "85-year-old who is housebound, has a weak grip and walks slowly."),
    ("food_allergy", "Baby with eczema vomited and had hives after his first taste of peanut butter."),
    (
        "spinal_cord_compression",
        "Woman with metastatic lung cancer has thoracic back pain and numbness from the waist down.",
    ),
    ("hereditary_cancer_risk", "Ashkenazi Jewish woman whose sister had breast cancer at 38 — genetic testing?"),
    ("dental_caries", "Toddler with white chalky patches on the front teeth; drinks juice from a bottle at night."),
    ("opioid_overdose", "Heroin user brought in unconscious with pinpoint pupils and shallow breathing."),
    (
        "hospital_acquired_pneumonia",
        "Ventilated for 4 days in ICU, now fever and purulent tracheal secretions with a new infiltrate.",
    ),
    ("asymptomatic_bacteriuria", "Pregnant woman at booking has a positive urine culture for E. coli but no symptoms."),
    ("vestibular_schwannoma", "Asymmetric hearing loss on the right with tinnitus and imbalance."),
    ("carotid_stenosis", "Carotid duplex shows 80% stenosis of the left internal carotid in an asymptomatic man."),
    ("diabetic_foot", "Diabetic with a foot ulcer over the heel and absent foot pulses."),
    (
        "elder_abuse",
        "Frail woman with unexplained bruises; her grandson controls her money and she seems frightened of him.",
    ),
    (
        "valvular_heart_disease",
        (
            "85-year-old woman breathless on exertion with a harsh ejection systolic murmur and slow-rising "
            "pulse — is TAVI appropriate?"
        ),
    ),
    (
        "acute_limb_ischaemia",
        "Sudden onset painful, pale, pulseless right foot two hours ago in a man with atrial fibrillation. What now?",
    ),
    (
        "cardiovascular_risk_prevention",
        (
            "55-year-old man, never had a heart attack or stroke, wants to know if a statin would prevent "
            "heart disease. How do we decide?"
        ),
    ),
    (
        "pleural_effusion",
        (
            "CXR shows blunting of the right costophrenic angle in a breathless man with mesothelioma. Drain"
            " or pleurodesis?"
        ),
    ),
    (
        "narcolepsy",
        (
            "Excessive daytime sleepiness and sudden muscle weakness when laughing in a 22-year-old student."
            " Which sleep study?"
        ),
    ),
    ("nafld", "Incidental fatty changes in the liver and mildly raised ALT in an obese teetotal woman. What next?"),
    (
        "pancreatic_cancer",
        "Jaundiced 68-year-old with dark urine, pale stools, itching and weight loss, no pain. Which scan?",
    ),
    (
        "mesenteric_ischaemia",
        "Elderly smoker with weight loss and abdominal pain after every meal, now afraid to eat. Diagnosis and test?",
    ),
    (
        "interstitial_cystitis",
        "Chronic pelvic pain relieved by passing urine, with urgency and frequency; cultures negative. Treatment?",
    ),
    ("urethral_stricture", "Young man with a slow urinary stream after a straddle injury on his bike. Which test?"),
    ("phaeochromocytoma", "Paroxysmal hypertension with headaches and sweating spells in a 40-year-old. First test?"),
    ("thyroid_cancer", "Woman with a hard, fixed nodule in her thyroid and a hoarse voice. How to investigate?"),
    ("peripheral_neuropathy", "Glove and stocking numbness in a man who drinks heavily. Which blood tests?"),
    ("brain_tumour", "First seizure at 55 with a personality change over weeks and morning headaches. Which scan?"),
    (
        "tic_disorder",
        "12-year-old with sudden involuntary head jerking and sniffing noises at school. Is medication needed?",
    ),
    (
        "dystonia",
        "Her head is pulled involuntarily to the left and it eases when she touches her chin. Botulinum toxin?",
    ),
    ("drug_misuse", "Pregnant woman who smokes cannabis daily — what should antenatal care offer?"),
    (
        "adhesive_capsulitis",
        "Painful stiff shoulder with global restriction of active and passive movement for 5 months. Hydrodilatation?",
    ),
    ("lateral_epicondylitis", "Tennis player with lateral elbow pain on gripping. Steroid injection?"),
    ("psoriatic_arthritis", "Dactylitis of a toe and nail pitting in a man with plaque psoriasis. Which DMARD?"),
    (
        "stress_fracture",
        "Army recruit with shin pain that started after increased running, tender over the tibia. MRI?",
    ),
    ("contact_dermatitis", "Hairdresser with itchy, cracked hands from hair dye. Patch testing?"),
    (
        "prosthetic_joint_infection",
        "Hot swollen painful hip replacement with fever three weeks after surgery. Aspirate?",
    ),
    (
        "pelvic_inflammatory_disease",
        (
            "Woman with a coil has bilateral lower abdominal pain, deep dyspareunia and cervical excitation."
            " Remove the coil?"
        ),
    ),
    (
        "fetal_growth_restriction",
        "At 34 weeks pregnant the scan shows an estimated fetal weight below the 3rd centile. When to deliver?",
    ),
    ("uterine_fibroids", "Bulky uterus and pressure on her bladder with heavy periods. Medical treatment?"),
    (
        "vulvovaginal_atrophy",
        (
            "Older woman with recurrent UTIs, vaginal dryness and painful intercourse after the menopause. "
            "Local oestrogen?"
        ),
    ),
    (
        "neonatal_hie",
        "Baby needed prolonged resuscitation at birth, cord gas pH 6.95, now having seizures. Therapeutic hypothermia?",
    ),
    (
        "speech_language_delay",
        "Parents worry their 30-month-old is not talking and only has a few words. Refer to speech therapy?",
    ),
    ("thalassaemia", "Low MCV and normal ferritin in a pregnant woman of South Asian origin — which test?"),
    ("b12_folate_deficiency", "Tired woman on metformin with macrocytosis and glossitis. What to check?"),
    ("cll", "Routine FBC shows lymphocytes 18 x10^9/L in a well 75-year-old. Refer?"),
    ("chemotherapy_nausea", "Nausea and vomiting after her first cycle of chemotherapy despite ondansetron. Add what?"),
    ("oral_mucositis", "Painful mouth ulcers after high-dose methotrexate. Mouthwash?"),
    (
        "head_neck_cancer",
        "Persistent hoarse voice and a hard lump in the neck for 4 weeks in a heavy smoker. Urgent referral?",
    ),
    ("neuroendocrine_tumour", "Flushing episodes and wheeze with diarrhoea; CT shows liver metastases. Octreotide?"),
    ("diabetic_eye_disease", "Type 2 diabetic with new vessels on the disc. Laser or injections?"),
    ("dry_eye", "Burning, gritty eyes in a woman with rheumatoid arthritis; worse with air conditioning. Drops?"),
    ("hoarseness", "Hoarse voice for 4 weeks after a thyroidectomy. Laryngoscopy?"),
    (
        "otitis_media_with_effusion",
        "Fluid behind both eardrums for 3 months with hearing loss in a 3-year-old. Grommets?",
    ),
    ("polypharmacy", "83-year-old on 12 medications with falls. Which drugs to deprescribe first?"),
    ("difficult_airway", "Failed intubation twice, can't ventilate by mask. Next step?"),
    ("ards", "Intubated patient with sepsis, bilateral opacities on CXR and PaO2/FiO2 ratio of 150. Tidal volume?"),
    ("drug_allergy", "Hives after amoxicillin last year; now needs antibiotics for pneumonia. Is it a true allergy?"),
    (
        "carbon_monoxide_poisoning",
        "Couple both have headaches and dizziness every morning in their flat with a faulty gas heater. What test?",
    ),
    ("iv_fluids", "Child on the ward who can't drink after surgery: what maintenance fluid and rate?"),
    (
        "rib_fractures",
        "Elderly woman fell against the bath and has crepitus over the ribs and pain on breathing. Analgesia?",
    ),
    ("scoliosis", "School nurse notices uneven shoulders and a curve in the spine of a 12-year-old girl."),
    ("gynaecomastia", "Man on spironolactone with breast enlargement. Stop the drug?"),
    (
        "hypercapnic_respiratory_failure",
        "Drowsy COPD patient on oxygen, ABG pH 7.25 and pCO2 10 kPa. Reduce the oxygen?",
    ),
]

# Questions about other conditions, lay and non-medical questions: no problem of this table may be read.
NONE_OF_MINE: list[str] = [
    "Teenager with throat tightness, wheeze and BP 80/50 minutes after eating cashews. What is the first drug?",
    "Coffee-ground vomiting and melaena, haemodynamically stable, on aspirin. When to scope?",
    "72-year-old with crushing central chest pain radiating to the left arm, sweaty, ST elevation on ECG.",
    "Hot, red, swollen big toe that woke him overnight; he is diabetic. Which drug first?",
    "Woman with a painful red eye, halos around lights, headache and vomiting. What now?",
    "Breathless man with orthopnoea, ankle swelling, bibasal crackles and a raised BNP. Which drug?",
    "Type 1 diabetic, vomiting, glucose 28, ketones 5, pH 7.1. Fluids?",
    "5-year-old with fever and a limp, refusing to bear weight on the right leg.",
    "Woman with vulval itch and thick white curd-like discharge. Which treatment?",
    "4-month-old born at 32 weeks with cough, wheeze, nasal flaring and poor feeding in winter.",
    "6 weeks pregnant with vaginal bleeding and cramping. Scan?",
    "Heavy bleeding after delivery of the placenta, 1200 ml lost. Which drug first?",
    "Middle-aged man with low back pain after lifting, no red flags. Which painkiller?",
    "Child with a barking cough and stridor at night. Dexamethasone dose?",
    "Elderly woman with new confusion and a UTI. Antipsychotic?",
    "Unilateral throbbing headache with nausea and photophobia lasting hours. Which triptan?",
    "Itchy flexural rash in a 3-year-old with asthma. Which emollient?",
    "Woman aged 51 with hot flushes and night sweats, periods irregular. HRT?",
    "Sore throat, fever and tonsillar exudate, no cough. Antibiotics?",
    "Two days of diarrhoea and vomiting in a toddler. Oral rehydration?",
    "Gradual memory loss over two years, getting lost while driving. Which drug?",
    "Resting pill-rolling tremor and slow movements in a 70-year-old. First-line drug?",
    "Young woman restricting food, BMI 15, periods stopped. Admit?",
    "Swollen painful calf after a long-haul flight. D-dimer?",
    "Child with fever and a non-blanching rash. Antibiotic in the community?",
    "Known asthmatic with wheeze, peak flow 40%, can't complete sentences.",
    "65-year-old smoker with a productive cough and breathlessness on exertion; FEV1/FVC 0.6. Inhaler?",
    "My knee cracks when I climb stairs, I'm 60. Is it arthritis?",
    "Pregnant woman at 28 weeks with a glucose tolerance test of 8.9 two hours after the drink. Metformin?",
    "Patient with gout on allopurinol asks whether he can drink alcohol.",
    "Do I need antibiotics for a cold?",
    "Is paracetamol safe in pregnancy for a headache?",
    "Grandmother with dementia keeps wandering at night. What helps?",
    "Child with a cold and a runny nose for three days. Decongestant?",
    "Teenager with acne on her face and back. Which cream?",
    "What's the best way to remove a wine stain from a carpet?",
    "How do I fix a dripping tap?",
    "Which football boots are best for a wide foot?",
    "How do I stop my cat scratching the sofa?",
    "What is the tallest mountain in Europe?",
    "Recipe for a vegan chocolate cake?",
    "How do I get my toddler to sleep through the night?",
    "How often should I change the oil in my car?",
    "Can I run a marathon after a knee replacement?",
]


@pytest.mark.parametrize(("key", "question"), FIRST, ids=[k for k, _ in FIRST])
def test_vignette_is_read_as_its_problem_first(key: str, question: str) -> None:
    name = specialty_names()[key]
    problems = reader().read(question).problems
    assert problems, f"nothing read from {question!r}"
    # A cancer the question says has spread is read as "metastatic <its name>" (patient.yaml `spread`).
    assert problems[0].name in (name, f"metastatic {name}"), [(p.name, p.how, p.cue, p.score) for p in problems]


@pytest.mark.parametrize(("key", "question"), AMONG, ids=[f"{k}-{i}" for i, (k, _) in enumerate(AMONG)])
def test_other_phrasings_are_read_as_the_problem(key: str, question: str) -> None:
    names = [p.name for p in reader().read(question).problems]
    # A cancer the question says has spread is read as "metastatic <its name>" (patient.yaml `spread`).
    assert {specialty_names()[key], f"metastatic {specialty_names()[key]}"} & set(names), names


def test_the_vignettes_cover_many_entries() -> None:
    assert len({k for k, _ in FIRST}) >= 60
    assert {k for k, _ in FIRST} <= set(specialty_names())


@pytest.mark.parametrize("question", NONE_OF_MINE)
def test_other_questions_read_no_specialty_problem(question: str) -> None:
    read = problems_of_table_read(question, specialty_names())
    assert not read, read


def test_non_medical_question_set_reads_no_specialty_problem() -> None:
    assert not nonmedical_questions_reading(specialty_names())


def test_named_questions_are_read_by_name() -> None:
    """A question naming the condition (as a patient or a title would) is read as it, not inferred."""
    cases = {
        "What are the treatments for Restless legs syndrome?": "restless_legs",
        "Is ivabradine used in pulmonary arterial hypertension?": "pulmonary_hypertension",
        "How is Guillain-Barré syndrome treated?": "guillain_barre",
        "Do I need to see a doctor for placenta previa?": "antepartum_haemorrhage",
        "when do we swab for GBS in pregnancy?": "group_b_streptococcus",
    }
    for question, key in cases.items():
        problems = reader().read(question).problems
        assert problems and problems[0].name == specialty_names()[key] and problems[0].how == "named", problems


def test_words_inside_other_words_do_not_name_a_problem() -> None:
    """Regressions: a name found inside another word or phrase ('cystectomy' in cholecystectomy)."""
    cases = {
        "Incidental gallstones on ultrasound, asymptomatic: cholecystectomy?": "bladder_cancer",
        "Cushing syndrome due to an adrenal tumour: which operation?": "renal_cancer",
        "Female breast cancer screening from what age?": "gynaecomastia",
        "First-episode psychotic disorder: which antipsychotic?": "tic_disorder",
        "What are the symptoms of osteoporosis-pseudoglioma syndrome?": "brain_tumour",
        "Sydenham chorea after a sore throat: what is it?": "huntingtons_disease",
        "Non-cirrhotic MASH with F2 fibrosis: which drug?": "cirrhosis",
        "What are the genetic changes related to lymphangioleiomyomatosis?": "uterine_fibroids",
        "What is the outlook for Whipple's disease?": "pancreatic_cancer",
        "What is human T-cell leukemia virus type 1?": "acute_leukaemia",
        "Woman post total hysterectomy for fibroids: does she still need smears?": "uterine_fibroids",
    }
    for question, key in cases.items():
        names = [p.name for p in reader().read(question).problems]
        assert specialty_names()[key] not in names, (question, names)


def test_table_loads_with_the_core_table_and_keys_do_not_clash() -> None:
    keys = [r.key for r in tables.problem_rules()]
    assert len(keys) == len(set(keys))
    assert "problems_specialties.yaml" in tables.problem_files()
    for rule in tables.problem_rules():
        if rule.key in specialty_names() and rule.features and rule.needs < 99:
            # every presentation can reach its threshold
            assert sum(f.weight for f in rule.features) >= rule.needs, rule.key
