"""Presentations read from a clinician's vignette however it is worded (stop 39, cue robustness).

The problem and description tables (understand/data/problems*.yaml, descriptions.yaml) infer a problem
from regular-expression cues. Cues written for one wording missed the same finding in another: a
laterality word between the words ("can't close the left eye"), an adjective for the noun ("scrotal"
for "scrotum"), another tense or word order ("woke", "pain in her right hip on walking"), shorthand
("SOB", "N&V", "L basal crackles") or a filler word ("calf cramps most nights"). Each vignette below
was written for these tests in its own words, describes a classic presentation without naming the
condition, and must be read with the condition first. 136 of them were read otherwise before the
cues were widened.

Each near-miss is a neighbouring presentation, or the widened words in another sense, and must not
be read first as the problem whose cues were widened next to it. Every widened pattern was also run
over 50,000 abstract sentences (MEDLINE baseline, PubMedQA contexts, Evidence Inference abstracts)
and its new hits were read.
"""

from __future__ import annotations

import pytest
from problem_tables import read_names

# (vignette written for this test; the condition is not named, expected first problem)
FIRST: list[tuple[str, str]] = [
    # Cardiology.
    (
        (
            "58M, 40 minutes of heavy central chest pressure spreading into his left jaw, clammy and sweaty. "
            "Which ECG changes matter?"
        ),
        "acute coronary syndrome",
    ),
    (
        (
            "62F with crushing retrosternal pain at rest for half an hour going down her left arm, diaphoretic "
            "and nauseated. First steps?"
        ),
        "acute coronary syndrome",
    ),
    (
        "55M woke at 5am with tight chest pain radiating to both arms, troponin rising on repeat. Management?",
        "acute coronary syndrome",
    ),
    (
        (
            "64M gets a tight band across his chest walking uphill that eases within a few minutes of stopping. "
            "Which tests?"
        ),
        "stable angina",
    ),
    (
        "Chest heaviness when climbing two flights of stairs, goes after 3 minutes of rest, 70F. First-line drug?",
        "stable angina",
    ),
    (
        (
            "78F, increasingly breathless on exertion, now sleeps on three pillows, swollen ankles up to her "
            "knees. Which test first?"
        ),
        "heart failure",
    ),
    ("81M wakes at night gasping for air, bilateral pitting leg oedema and a raised JVP. Next step?", "heart failure"),
    ("Echo shows LVEF 30% in a 66M with exertional SOB and ankle swelling. Which drugs?", "heart failure"),
    ("72M with palpitations, pulse 130 and irregularly irregular. Rate or rhythm control?", "atrial fibrillation"),
    (
        "80F, no symptoms, but her pulse is irregular and fast at 118 at a routine check. What next?",
        "atrial fibrillation",
    ),
    (
        (
            "24F with sudden regular racing heartbeat at 190 bpm that stops as abruptly as it started, "
            "narrow-complex on ECG. Vagal manoeuvres?"
        ),
        "supraventricular tachycardia",
    ),
    (
        (
            "Recurrent episodes of a fast regular heartbeat starting and stopping suddenly in a 30M; it ends when "
            "he bears down. Ablation?"
        ),
        "supraventricular tachycardia",
    ),
    (
        (
            "30M, sharp chest pain worse lying flat and better leaning forward, a week after a cold; widespread "
            "saddle-shaped ST elevation. Treatment?"
        ),
        "acute pericarditis",
    ),
    (
        (
            "Pleuritic central chest pain relieved by sitting up, with a friction rub on auscultation, 25F. NSAID "
            "and colchicine?"
        ),
        "acute pericarditis",
    ),
    (
        (
            "66M with hypertension, sudden tearing pain going through to his back between the shoulder blades, BP "
            "30 mmHg different between arms. Imaging?"
        ),
        "aortic dissection",
    ),
    (
        (
            "Abrupt ripping chest pain radiating to the back, unequal radial pulses and a widened mediastinum on "
            "CXR. Next?"
        ),
        "aortic dissection",
    ),
    ("Swollen, tender left calf three days after a long-haul flight, 45F. Next test?", "deep vein thrombosis"),
    (
        (
            "His right leg has been swollen and painful from the knee down since his knee replacement two weeks "
            "ago. What now?"
        ),
        "deep vein thrombosis",
    ),
    (
        (
            "32F on the combined pill, sudden pleuritic chest pain and breathlessness, HR 115, sats 91%. Next "
            "investigation?"
        ),
        "pulmonary embolism",
    ),
    ("Acute SOB and coughing blood a week after hip surgery, tachycardic. CTPA or V/Q?", "pulmonary embolism"),
    (
        "IV drug user with fever for two weeks, a new murmur and splinter haemorrhages. How many blood cultures?",
        "infective endocarditis",
    ),
    (
        "Prosthetic mitral valve, now fevers, night sweats and Janeway lesions on the palms. Empirical antibiotics?",
        "infective endocarditis",
    ),
    (
        (
            "68M smoker gets cramping pain in his right calf after walking 100 yards, relieved by standing still "
            "for a couple of minutes. First investigation?"
        ),
        "peripheral arterial disease",
    ),
    ("ABPI 0.6 on the left in a diabetic man with calf pain on walking. Refer?", "peripheral arterial disease"),
    (
        (
            "Her left leg suddenly became cold, pale and pulseless 3 hours ago, she has AF and is not "
            "anticoagulated. What next?"
        ),
        "acute limb ischaemia",
    ),
    (
        (
            "Sudden onset painful white right foot with no palpable pulses below the femoral and reduced "
            "sensation. Urgent management?"
        ),
        "acute limb ischaemia",
    ),
    (
        "19F fainted in a hot queue, felt sweaty and nauseated beforehand, came round within seconds. Need an ECG?",
        "transient loss of consciousness",
    ),
    (
        "Bulging, twisted veins on the back of both calves that ache and feel heavy by evening. Refer to vascular?",
        "varicose veins",
    ),
    (
        "Pulsatile expansile mass in the abdomen of a 72M smoker found on exam. Ultrasound?",
        "abdominal aortic aneurysm",
    ),
    # Respiratory.
    ("8yo wheezy, can't complete sentences, peak flow 40% of her best, sats 93%. First treatment?", "acute asthma"),
    (
        "Known asthmatic 25F, severe wheeze and SOB, RR 30, using accessory muscles, PEF 45% predicted. Magnesium?",
        "acute asthma",
    ),
    (
        (
            "7yo with a night-time cough and wheeze, worse with exercise and cold air, dad has hay fever. Which "
            "tests confirm it?"
        ),
        "asthma",
    ),
    (
        (
            "65M ex-smoker, 40 pack-years, progressive breathlessness and a daily productive cough every winter. "
            "Spirometry?"
        ),
        "chronic obstructive pulmonary disease",
    ),
    (
        "Post-bronchodilator FEV1/FVC 0.58 in a 70F long-term smoker with exertional SOB. Inhaler choice?",
        "chronic obstructive pulmonary disease",
    ),
    ("70M, fever, productive cough with rusty sputum and right basal crackles, CRP 180. Antibiotic?", "pneumonia"),
    (
        "CXR shows right lower lobe consolidation in a febrile 45F with a cough and pleuritic pain. Oral amoxicillin?",
        "pneumonia",
    ),
    ("2yo with a barking seal-like cough and hoarse voice, stridor at rest tonight after a cold. Treatment?", "croup"),
    (
        (
            "Toddler with a harsh barky cough and inspiratory stridor that started at midnight, low-grade fever. "
            "Nebulised adrenaline?"
        ),
        "croup",
    ),
    (
        "4-month-old with runny nose then cough, poor feeding, fine inspiratory crackles and wheeze, sats 92%. Admit?",
        "bronchiolitis",
    ),
    (
        "7 week old, coryza for 2 days then tachypnoea, recession and taking half her feeds. Oxygen threshold?",
        "bronchiolitis",
    ),
    ("6yo with bouts of coughing that end in a whoop and vomiting, going on for three weeks. Treatment?", "pertussis"),
    (
        "Unvaccinated infant with paroxysmal coughing spasms, turning red, then a whooping inspiration. Antibiotic?",
        "pertussis",
    ),
    (
        (
            "Tall thin 20M with sudden left-sided pleuritic chest pain and breathlessness, reduced breath sounds "
            "on the left. Next?"
        ),
        "pneumothorax",
    ),
    (
        "Sudden sharp right chest pain and SOB in a 22M smoker, hyperresonant percussion on the right. Aspiration?",
        "pneumothorax",
    ),
    (
        "52M, BMI 38, loud snoring, his wife notices he stops breathing at night, sleepy all day at work. Which test?",
        "obstructive sleep apnoea",
    ),
    (
        "Falls asleep at the wheel at traffic lights, snores heavily with witnessed apnoeas, Epworth 16. CPAP?",
        "obstructive sleep apnoea",
    ),
    (
        (
            "70M with a dry cough and slowly worsening breathlessness, fine bibasal velcro crackles and finger "
            "clubbing. Next?"
        ),
        "idiopathic pulmonary fibrosis",
    ),
    (
        "Stony dull percussion and absent breath sounds at the left base in a 75F with breast cancer history. Tap it?",
        "pleural effusion",
    ),
    (
        "Coughs up a cupful of purulent sputum daily for years with frequent chest infections. Investigation?",
        "bronchiectasis",
    ),
    (
        "28F with bilateral hilar lymphadenopathy on CXR, tender red shin nodules and ankle pain. Treatment?",
        "sarcoidosis",
    ),
    (
        "Sneezing, itchy watery eyes and a runny nose every June when the grass pollen is high. Best treatment?",
        "allergic rhinitis",
    ),
    ("63M heavy smoker with haemoptysis, weight loss and a new hoarse voice. What next?", "lung cancer"),
    (
        (
            "Three months of cough, night sweats, weight loss and haemoptysis in a man recently arrived from "
            "Pakistan. Tests?"
        ),
        "tuberculosis",
    ),
    # GI.
    (
        "Vomited coffee-ground material twice, on naproxen, HR 110. Endoscopy timing?",
        "acute upper gastrointestinal bleeding",
    ),
    (
        "Passed black tarry stools twice today, 70M on aspirin, Hb fallen to 84. Next step?",
        "acute upper gastrointestinal bleeding",
    ),
    (
        "Heavy fresh red blood per rectum with clots in an 80M, haemodynamically stable. Colonoscopy?",
        "lower gastrointestinal bleeding",
    ),
    (
        "Burning behind the breastbone after meals and on lying down, with an acid taste in the mouth. PPI?",
        "gastro-oesophageal reflux disease",
    ),
    (
        (
            "Heartburn and regurgitation several times a week for months in a 40M with no alarm features. How "
            "long to treat?"
        ),
        "gastro-oesophageal reflux disease",
    ),
    (
        (
            "28F, crampy abdominal pain eased by opening her bowels, alternating diarrhoea and constipation, "
            "bloating. Tests?"
        ),
        "irritable bowel syndrome",
    ),
    (
        (
            "Six months of bloating and abdominal cramps that settle after defecation, stool form varies, bloods "
            "normal. Management?"
        ),
        "irritable bowel syndrome",
    ),
    ("22M with bloody diarrhoea eight times a day for six weeks and weight loss. Next?", "inflammatory bowel disease"),
    (
        (
            "19F with right lower quadrant pain, chronic diarrhoea, mouth ulcers and weight loss, calprotectin "
            "900. Referral?"
        ),
        "inflammatory bowel disease",
    ),
    (
        "Bloating, loose pale stools and a low ferritin in a 30F, worse after bread and pasta. Which test?",
        "coeliac disease",
    ),
    ("Pain started around the umbilicus and moved to the RIF, anorexic, temp 37.9, 15M. Imaging?", "appendicitis"),
    (
        (
            "Periumbilical pain that has migrated to the right iliac fossa, rebound tenderness and guarding, 20F. "
            "Which scan?"
        ),
        "appendicitis",
    ),
    (
        "45F, colicky RUQ pain after fatty meals going through to the right shoulder tip. Ultrasound?",
        "gallstone disease",
    ),
    (
        "Recurrent episodes of pain under the right ribs after eating, lasting a few hours, 41F. Surgery?",
        "gallstone disease",
    ),
    (
        "Fever with rigors, jaundice and right upper quadrant pain, dilated CBD on ultrasound. Next?",
        "acute cholangitis",
    ),
    (
        (
            "Severe epigastric pain boring through to the back after a binge, vomiting, lipase three times "
            "normal. Fluids?"
        ),
        "acute pancreatitis",
    ),
    (
        "Sudden severe upper abdominal pain radiating to his back, amylase 1500, known gallstones. Antibiotics?",
        "acute pancreatitis",
    ),
    (
        "68F with left iliac fossa pain, fever and a raised CRP, tender in the LIF. Antibiotics?",
        "diverticular disease",
    ),
    (
        "Colicky abdominal pain, vomiting bile, distended belly and not passing wind, previous laparotomy. Next?",
        "small bowel obstruction",
    ),
    (
        (
            "Bright red blood on the toilet paper after straining, painless, with a lump that pops out and goes "
            "back. Treatment?"
        ),
        "haemorrhoids",
    ),
    (
        "Tearing pain on passing hard stools that lasts an hour afterwards, streak of blood on the paper. Treatment?",
        "anal fissure",
    ),
    (
        "Lump in the right groin that appears on coughing and disappears when lying down, 55M. Refer for surgery?",
        "inguinal hernia",
    ),
    (
        (
            "9-month-old with episodes of inconsolable screaming and drawing his legs up, then redcurrant jelly "
            "stool. Next?"
        ),
        "intussusception",
    ),
    (
        (
            "Infant with intermittent colicky crying, pallor and a sausage-shaped mass in the right upper "
            "abdomen. Ultrasound?"
        ),
        "intussusception",
    ),
    (
        "5-week-old boy with projectile non-bilious vomiting after every feed, hungry straight after. Investigation?",
        "vomiting in infants",
    ),
    (
        "Diarrhoea and vomiting for 2 days in a toddler after an outbreak at nursery, mild dehydration. Fluids?",
        "gastroenteritis",
    ),
    (
        "Profuse watery diarrhoea after a course of clindamycin in an 80F in a care home. Treatment?",
        "Clostridioides difficile infection",
    ),
    ("Spider naevi, palmar erythema and ascites in a heavy drinker, platelets 90. Next?", "cirrhosis"),
    (
        "Difficulty swallowing both solids and liquids from the start, regurgitating undigested food at night. Test?",
        "achalasia",
    ),
    ("Progressive difficulty swallowing solids then soft food, with weight loss, 70M. Next?", "oesophageal cancer"),
    (
        "67M with a change in bowel habit to looser stools for 8 weeks and a microcytic Hb of 101. Referral?",
        "colorectal cancer",
    ),
    (
        (
            "Raised ALT in an obese man with type 2 diabetes, ultrasound shows a bright echogenic liver, drinks "
            "little. Next?"
        ),
        "non-alcoholic fatty liver disease",
    ),
    (
        "80F with AF, severe abdominal pain out of proportion to a soft abdomen, lactate 6. Imaging?",
        "acute mesenteric ischaemia",
    ),
    # Neurology.
    ("70M, sudden right arm and leg weakness with slurred speech that began 90 minutes ago. Thrombolysis?", "stroke"),
    (
        "Found at 7am with a left facial droop and left-sided weakness, last seen well at midnight, 82F. CT first?",
        "stroke",
    ),
    ("68F, acute onset of word-finding difficulty and a weak right hand an hour ago, still present. Next?", "stroke"),
    (
        "Her left arm went numb and weak for 15 minutes yesterday and is now back to normal, 72F. Clinic how soon?",
        "transient ischaemic attack",
    ),
    (
        "Ten minutes of garbled speech and right facial droop this morning, fully resolved by arrival. Aspirin?",
        "transient ischaemic attack",
    ),
    (
        (
            "Sudden painless loss of vision in his right eye like a curtain, recovered after 5 minutes, 66M. "
            "Carotid imaging?"
        ),
        "transient ischaemic attack",
    ),
    (
        (
            "45F, sudden explosive headache while lifting weights, the worst of her life, with neck stiffness. CT "
            "then LP?"
        ),
        "subarachnoid haemorrhage",
    ),
    ("Thunderclap occipital headache an hour ago with vomiting, 52M. Which scan?", "subarachnoid haemorrhage"),
    (
        (
            "25F with recurrent throbbing one-sided headaches with nausea, preceded by zigzag lines in her "
            "vision. Prevention?"
        ),
        "migraine",
    ),
    (
        (
            "Pulsating headaches lasting a day, she must lie in a dark room, light and noise bother her, 3 a "
            "month. Triptan?"
        ),
        "migraine",
    ),
    (
        (
            "Band-like pressure around the head most afternoons, no nausea or light sensitivity, 35M office "
            "worker. Treatment?"
        ),
        "tension-type headache",
    ),
    (
        (
            "Excruciating stabbing pain around his right eye waking him at night for an hour, with a watery eye "
            "and runny nostril, daily for weeks. Acute treatment?"
        ),
        "cluster headache",
    ),
    (
        (
            "40M, attacks of severe left orbital pain lasting 45 minutes, red tearing eye and drooping lid, "
            "pacing the room. Oxygen?"
        ),
        "cluster headache",
    ),
    (
        "Daily headaches for 4 months while taking co-codamol or ibuprofen on most days. What to do?",
        "medication overuse headache",
    ),
    (
        (
            "Second unprovoked episode of tongue biting, stiffening and jerking of all limbs, then confused for "
            "20 minutes, 24M. Start treatment?"
        ),
        "epilepsy",
    ),
    (
        "Seizing continuously for 10 minutes, not stopped by buccal midazolam given by the paramedics. Next drug?",
        "status epilepticus",
    ),
    (
        (
            "18-month-old with a temperature of 39.2 had a generalised shaking fit lasting 2 minutes, now alert "
            "and playing. Admit?"
        ),
        "febrile seizure",
    ),
    (
        (
            "2yo with a viral illness, stiffened and jerked all over for a minute during a fever spike, back to "
            "normal within the hour. Any tests needed?"
        ),
        "febrile seizure",
    ),
    (
        "Resting pill-rolling tremor of the right hand, slowness and a shuffling gait, 68M. Which test?",
        "Parkinson's disease",
    ),
    (
        "Slowness of movement, small handwriting and cogwheel rigidity in the left arm, 72F. First-line drug?",
        "Parkinson's disease",
    ),
    (
        (
            "Tremor in both hands when holding a cup or writing, better after a glass of wine, father had the "
            "same. Propranolol?"
        ),
        "essential tremor",
    ),
    (
        (
            "26F with blurred vision and pain on moving her right eye; a year ago she had numbness in both legs "
            "for a month. MRI?"
        ),
        "multiple sclerosis",
    ),
    (
        (
            "Tingling up both legs and an electric shock down the spine on bending the neck, 30F, symptoms came "
            "and went 2 years ago. Next?"
        ),
        "multiple sclerosis",
    ),
    (
        "78F, gradual memory loss over 2 years, getting lost on familiar routes, repeating herself. Assessment?",
        "dementia",
    ),
    (
        (
            "Her husband says she has become forgetful over 18 months, misplacing things and struggling with the "
            "bills, MMSE 21. Refer?"
        ),
        "dementia",
    ),
    (
        "85F acutely confused and agitated over 2 days, worse at night, fluctuating attention, UTI on dipstick. Next?",
        "delirium",
    ),
    (
        (
            "Post-op day 2 after hip fixation, now disorientated, pulling at lines and seeing insects on the "
            "wall. Management?"
        ),
        "delirium",
    ),
    (
        "Woke up with a left facial droop including the forehead, can't close the left eye fully. Steroids?",
        "Bell's palsy",
    ),
    (
        (
            "35M, right-sided facial weakness over 24 hours, unable to raise his right eyebrow or shut the right "
            "eye, no limb signs. Prednisolone?"
        ),
        "Bell's palsy",
    ),
    (
        (
            "Her mouth droops on the left and she cannot wrinkle her forehead on that side, started yesterday "
            "with pain behind the ear. Antivirals?"
        ),
        "Bell's palsy",
    ),
    (
        (
            "Progressive ascending weakness of both legs over a week, two weeks after a diarrhoeal illness, "
            "absent reflexes. Next?"
        ),
        "Guillain-Barré syndrome",
    ),
    (
        (
            "Droopy eyelids and double vision that get worse through the day, weak chewing by evening, 35F. Which "
            "antibodies?"
        ),
        "myasthenia gravis",
    ),
    (
        (
            "Wasting of the small hand muscles, fasciculations in the arms and brisk reflexes, no sensory loss, "
            "60M. Diagnosis?"
        ),
        "motor neurone disease",
    ),
    (
        (
            "Urge to move her legs in the evening with a crawling feeling, relieved by walking about, interrupts "
            "her sleep. Treatment?"
        ),
        "restless legs syndrome",
    ),
    (
        (
            "Numbness and tingling in her thumb, index and middle fingers waking her at night, she shakes her "
            "hand to relieve it. Splint?"
        ),
        "carpal tunnel syndrome",
    ),
    (
        (
            "Pins and needles in the right thumb and first two fingers worse at night, weak thumb abduction, 52F. "
            "Nerve conduction?"
        ),
        "carpal tunnel syndrome",
    ),
    (
        "Electric-shock-like stabs in his left cheek triggered by brushing his teeth, lasting seconds. Drug?",
        "trigeminal neuralgia",
    ),
    (
        "Brief spinning when rolling over in bed or looking up, lasting seconds, no hearing loss. Which manoeuvre?",
        "vertigo",
    ),
    (
        "Constant severe spinning for 2 days after a cold, vomiting, hearing normal, 40F. Treatment?",
        "vestibular neuritis",
    ),
    (
        (
            "Episodes of vertigo lasting hours with roaring tinnitus and fullness in the left ear, fluctuating "
            "hearing. Treatment?"
        ),
        "Ménière's disease",
    ),
    (
        "19yo student with fever, headache, neck stiffness and a non-blanching rash. Antibiotics before LP?",
        "bacterial meningitis",
    ),
    (
        "Fever, photophobia and a stiff neck in a 30M with a GCS of 13, Kernig positive. First antibiotic?",
        "bacterial meningitis",
    ),
    (
        "72F new temporal headache, scalp tenderness when combing her hair, jaw pain on chewing, ESR 90. Steroids?",
        "giant cell arteritis",
    ),
    (
        "Pain in the jaw on eating, new headache over the temples and an episode of blurred vision, 75M. Biopsy?",
        "giant cell arteritis",
    ),
    ("Back pain with saddle numbness and new urinary retention, 45M. MRI how soon?", "cauda equina syndrome"),
    (
        "Low back pain with numbness around the back passage and loss of bladder control since this morning. Next?",
        "cauda equina syndrome",
    ),
    (
        (
            "Shooting pain from the buttock down the back of the left leg to the foot, worse on coughing, "
            "positive straight leg raise. Physio?"
        ),
        "low back pain",
    ),
    (
        (
            "72M, pain and heaviness in both legs on walking that eases when he sits or leans forward on a "
            "trolley. Imaging?"
        ),
        "lumbar spinal stenosis",
    ),
    ("Sudden overwhelming daytime sleep attacks and his knees buckle when he laughs, 19M. Sleep study?", "narcolepsy"),
    (
        "Burning and numbness in both feet in a stocking distribution, 60M with diabetes. Management?",
        "peripheral neuropathy",
    ),
    (
        "Fluctuating confusion, vivid visual hallucinations of children and parkinsonism, 76M. Antipsychotics?",
        "dementia with Lewy bodies",
    ),
    (
        "Magnetic gait, urinary incontinence and slowing of thinking, 74M, enlarged ventricles on CT. Next?",
        "normal pressure hydrocephalus",
    ),
    # MSK.
    ("Red, hot, swollen big toe joint that came on overnight, 55M on bendroflumethiazide. Treatment?", "gout"),
    ("Exquisitely painful first MTP joint, can't bear the bedsheet touching it, 60M. Colchicine or NSAID?", "gout"),
    ("Hot swollen knee, can't weight bear, temperature 38.9, 70M. Aspirate?", "septic arthritis"),
    ("4yo refusing to walk, hot swollen right hip, fever 39, CRP 120. Next?", "septic arthritis"),
    (
        (
            "66F, knee pain worse after walking and at the end of the day, stiffness under 30 minutes in the "
            "morning, crepitus. Management?"
        ),
        "osteoarthritis",
    ),
    (
        (
            "Gradually worsening pain in her right hip on walking with reduced internal rotation, 70F, no night "
            "pain. Injection?"
        ),
        "osteoarthritis",
    ),
    (
        "45F, symmetrical swelling of the small joints of both hands with morning stiffness for 2 hours. Bloods?",
        "rheumatoid arthritis",
    ),
    (
        "Painful swollen MCP and PIP joints bilaterally for 3 months, positive anti-CCP, 50F. DMARD?",
        "rheumatoid arthritis",
    ),
    (
        "70F, aching and stiffness of both shoulders and hips in the mornings for 6 weeks, ESR 55. Steroid dose?",
        "polymyalgia rheumatica",
    ),
    (
        (
            "25M, two years of back stiffness worse in the morning, better with exercise, wakes him in the second "
            "half of the night. Next test?"
        ),
        "axial spondyloarthritis",
    ),
    (
        "52F diabetic with a painful stiff right shoulder and loss of external rotation in all directions. Injection?",
        "adhesive capsulitis",
    ),
    (
        (
            "Painful arc lifting the arm sideways between 60 and 120 degrees, pain at night lying on that "
            "shoulder, painter. Physio?"
        ),
        "rotator cuff disorders",
    ),
    (
        "Pain over the outer elbow on gripping and lifting a kettle, keen tennis player. Treatment?",
        "lateral epicondylitis",
    ),
    (
        "Sharp pain under the heel with the first steps in the morning, eases after walking around, 45F. Management?",
        "plantar fasciitis",
    ),
    (
        "Felt a snap at the back of his ankle playing squash, as if kicked, positive Simmonds test. Cast or surgery?",
        "Achilles tendon rupture",
    ),
    (
        "Rolled his ankle playing football, bony tenderness at the posterior edge of the lateral malleolus. X-ray?",
        "ankle injury",
    ),
    ("85F fell at home, right leg shortened and externally rotated, cannot bear weight. Analgesia?", "hip fracture"),
    (
        (
            "Elderly man with pain in the groin after a fall, unable to stand, leg lies shortened and rotated "
            "out. Surgery timing?"
        ),
        "hip fracture",
    ),
    (
        "Fell on an outstretched hand, dinner-fork deformity of the left wrist, 68F. Management?",
        "distal radius fracture",
    ),
    (
        "Twisted his knee playing football, now it locks and gives way, tender on the medial joint line. MRI?",
        "acute knee injury",
    ),
    (
        "Heard a pop in her knee landing from a jump, immediate swelling within an hour, unstable since. Imaging?",
        "acute knee injury",
    ),
    (
        "13yo boy with a painful bump below the kneecap, worse after football and kneeling. Treatment?",
        "osgood-schlatter disease",
    ),
    (
        "12yo boy with a limp and knee pain for 3 weeks, his hip flops into external rotation when flexed. X-ray?",
        "slipped capital femoral epiphysis",
    ),
    (
        "6yo boy with a painless limp for weeks, reduced hip abduction and internal rotation. Imaging?",
        "Legg-Calvé-Perthes disease",
    ),
    (
        "Newborn girl, breech, with a clunk on Ortolani and asymmetric thigh creases. Ultrasound?",
        "developmental dysplasia of the hip",
    ),
    (
        (
            "Widespread pain for over 6 months, unrefreshing sleep, fatigue and poor concentration, bloods "
            "normal, 42F. Management?"
        ),
        "fibromyalgia",
    ),
    ("Low-trauma wrist fracture at 63, T-score -2.8 on DEXA. Treatment?", "osteoporosis"),
    (
        "Sudden mid-back pain after lifting a box, 78F on long-term steroids, loss of height. Imaging?",
        "osteoporotic vertebral compression fracture",
    ),
    ("Lower back ache for 3 weeks after lifting at work, no leg symptoms or red flags, 38M. Advice?", "low back pain"),
    ("Stiff sore neck for a week after sleeping awkwardly, no arm symptoms. Management?", "neck pain"),
    ("Pregnant 30F with tingling in the thumb and index finger at night. Splint?", "carpal tunnel syndrome"),
    (
        "New mum with pain at the base of the thumb on lifting the baby, Finkelstein test positive. Injection?",
        "de quervain tenosynovitis",
    ),
    (
        "Her ring finger clicks and locks bent in the mornings, needs the other hand to straighten it. Injection?",
        "trigger finger",
    ),
    (
        "Thickened cord in the palm pulling his little finger into flexion, can't lay the hand flat. Refer?",
        "dupuytren's contracture",
    ),
    (
        "Female runner with localised pain over the second metatarsal that worsens with each run. Imaging?",
        "stress fracture",
    ),
    # Paediatrics.
    (
        (
            "3yo with fever for six days, red eyes without discharge, cracked red lips, a strawberry tongue and "
            "peeling fingertips. Treatment?"
        ),
        "Kawasaki disease",
    ),
    (
        (
            "Toddler febrile for over 5 days with a polymorphous rash, swollen red hands and feet and a large "
            "neck node. Echo?"
        ),
        "Kawasaki disease",
    ),
    (
        "Nursery child with mouth ulcers and small grey blisters on the palms and soles, mild fever. Exclusion?",
        "hand foot and mouth disease",
    ),
    (
        "4yo with crops of itchy fluid-filled spots on the trunk at different stages, some crusted. Aciclovir?",
        "chickenpox",
    ),
    (
        (
            "Unvaccinated child with high fever and cough, white spots inside the cheeks, then a blotchy rash "
            "spreading down from behind the ears. Notify?"
        ),
        "measles",
    ),
    ("6yo with a sore throat, sandpapery red rash on the trunk and a strawberry tongue. Antibiotic?", "scarlet fever"),
    (
        "Bright red cheeks then a lacy rash on the arms in a well 5yo. Pregnant teacher at risk?",
        "slapped cheek syndrome",
    ),
    (
        (
            "6-week-old cries for three hours every evening, drawing her knees up, otherwise feeding and growing "
            "well. Treatment?"
        ),
        "infantile colic",
    ),
    ("3-day-old breastfed baby looking yellow, feeding well. Bilirubin threshold?", "neonatal jaundice"),
    (
        (
            "7yo boy who can't sit still in class, blurts out answers, interrupts and is always losing things, at "
            "home too. Assessment?"
        ),
        "attention deficit hyperactivity disorder",
    ),
    (
        (
            "3yo with no pointing, poor eye contact, lines up his toys and gets very upset with changes to "
            "routine. Refer?"
        ),
        "autism spectrum disorder",
    ),
    (
        "5yo scratching her bottom at night, mum saw tiny white worms in the stool. Treat the family?",
        "threadworm infection",
    ),
    ("Itchy scalp with little eggs stuck to the hair shafts in a schoolgirl. Treatment?", "head lice"),
    (
        "2yo won't use her left arm after being swung by the hands, holding it limp by her side. Reduce it?",
        "pulled elbow",
    ),
    ("Toddler with fever, pulling at his ear and a red bulging eardrum. Antibiotics?", "acute otitis media"),
    (
        "4yo with hearing difficulty for 4 months, dull retracted eardrums with a fluid level. Grommets?",
        "otitis media with effusion",
    ),
    (
        "12yo with a sore throat, fever, pus on the tonsils and tender neck glands, no cough. Penicillin?",
        "acute sore throat",
    ),
    (
        (
            "14yo with sudden severe pain in the left testicle and vomiting, the testis lies high with no "
            "cremasteric reflex. Next?"
        ),
        "testicular torsion",
    ),
    (
        "Teenage boy woke with agonising scrotal pain on the right, horizontal lie of the testis. Ultrasound first?",
        "testicular torsion",
    ),
    ("Baby boy at 8 weeks, right testis not palpable in the scrotum. When to refer?", "cryptorchidism"),
    ("7yo still wets the bed most nights, dry by day. Alarm?", "nocturnal enuresis"),
    (
        "Baby dropped from the 50th to the 9th centile over 3 months, feeding poorly. Investigations?",
        "faltering growth",
    ),
    ("18-month-old not yet walking or saying any words. Assessment?", "developmental delay"),
    ("Child with a barking cough at night and noisy breathing in, recent cold. Steroid?", "croup"),
    # Obstetrics and gynaecology.
    (
        (
            "6 weeks since her last period, positive pregnancy test, right iliac fossa pain and brown spotting, "
            "shoulder-tip pain. Next?"
        ),
        "ectopic pregnancy",
    ),
    (
        (
            "Positive hCG, empty uterus on transvaginal scan and left adnexal tenderness with some PV bleeding. "
            "Methotrexate?"
        ),
        "ectopic pregnancy",
    ),
    ("Bleeding and cramping at 9 weeks pregnant, passing clots, os open. Management?", "miscarriage"),
    ("34 weeks pregnant, headache, BP 158/104 and 2+ protein in her urine. Labetalol?", "hypertension in pregnancy"),
    (
        "Primigravida at 36 weeks with new swelling of the face and hands, flashing lights and BP 165/110. Magnesium?",
        "hypertension in pregnancy",
    ),
    (
        "10 weeks pregnant, vomiting everything including water, ketones 3+ and has lost 5% of her weight. Admit?",
        "nausea and vomiting in pregnancy",
    ),
    (
        "Heavy bleeding just after delivery, over 1 litre, uterus feels soft and boggy. First drug?",
        "postpartum haemorrhage",
    ),
    (
        "Itchy palms and soles without a rash at 32 weeks pregnant, worse at night. Bile acids?",
        "intrahepatic cholestasis of pregnancy",
    ),
    ("At 34 weeks she has felt the baby moving less since yesterday. CTG?", "reduced fetal movements"),
    ("28 weeks pregnant with regular painful tightenings and cervical change. Steroids?", "preterm labour"),
    ("33 weeks, sudden painful vaginal bleeding with a hard tender uterus. Next?", "antepartum haemorrhage"),
    (
        "OGTT at 26 weeks pregnant shows a fasting glucose of 5.8 and 2 hour of 8.9. Diet first?",
        "gestational diabetes",
    ),
    (
        "Flooding through pads every hour during her periods and passing large clots, Hb 105. Treatment?",
        "heavy menstrual bleeding",
    ),
    (
        (
            "Painful periods getting worse, deep pain during sex and pain on opening her bowels around her "
            "period, 28F. Laparoscopy?"
        ),
        "endometriosis",
    ),
    ("24F with irregular periods, acne and excess dark hair on her chin, BMI 32. Tests?", "polycystic ovary syndrome"),
    ("51F with hot flushes and night sweats, her periods stopped 8 months ago. HRT?", "menopause"),
    (
        "Lower abdominal pain, cervical motion tenderness and a purulent discharge with fever, 22F. Antibiotics?",
        "pelvic inflammatory disease",
    ),
    (
        "Intense vulval itching with a thick white cottage-cheese discharge. Oral or topical treatment?",
        "vaginal discharge",
    ),
    ("Thin grey fishy-smelling vaginal discharge, worse after sex, no itch. Treatment?", "vaginal discharge"),
    (
        "Sudden severe left pelvic pain with vomiting in a woman with a known 6 cm ovarian cyst. Next?",
        "adnexal torsion",
    ),
    (
        "Heavy periods and an enlarged irregular firm uterus the size of a 14-week pregnancy, 42F. Imaging?",
        "uterine fibroids",
    ),
    (
        "Dragging sensation and a bulge in the vagina that is worse by the evening, 65F. Pessary?",
        "pelvic organ prolapse",
    ),
    ("Breastfeeding mum with a red hot wedge-shaped area on her left breast and a fever. Antibiotic?", "mastitis"),
    (
        (
            "6 weeks after delivery she is low, tearful, not sleeping even when the baby sleeps and not bonding. "
            "Treatment?"
        ),
        "postnatal depression",
    ),
    ("60F with persistent bloating, early satiety and needing to pass urine more often. CA125?", "ovarian cancer"),
    ("58F with vaginal bleeding 6 years after her periods stopped. Scan?", "endometrial cancer"),
    # Urology.
    ("Severe loin-to-groin pain, he can't keep still, blood on dipstick, 40M. Imaging?", "renal colic"),
    (
        "Colicky pain in the right flank spreading to the groin with vomiting, microscopic haematuria. Analgesia?",
        "renal colic",
    ),
    ("28F with dysuria and frequency for 2 days, not pregnant, no fever. Antibiotic?", "urinary tract infection"),
    ("Fever, right loin pain and rigors with dysuria in a 30F. Oral antibiotics?", "acute pyelonephritis"),
    (
        "70M with a poor stream, hesitancy, dribbling and getting up three times a night to pass urine. Drug?",
        "lower urinary tract symptoms in men",
    ),
    ("Unable to pass urine for 10 hours with a tender palpable bladder, 78M. Catheter?", "acute urinary retention"),
    ("PSA 18 and a hard nodular prostate on DRE, 69M. MRI?", "prostate cancer"),
    ("Painless visible haematuria in a 65M smoker. Referral pathway?", "bladder cancer"),
    ("Painless hard lump in the right testis of a 28M, noticed in the shower. Ultrasound?", "testicular cancer"),
    ("Gradual onset painful swollen right testis with dysuria over 2 days, 25M. Antibiotics?", "epididymo-orchitis"),
    ("Exam finds a left scrotal 'bag of worms' that is more obvious on standing, 17M. Refer?", "varicocele"),
    (
        "Dull ache in the left side of the scrotum, veins above the testicle feel like a bag of worms. Ultrasound?",
        "varicocele",
    ),
    (
        "Leaks urine when she coughs, sneezes or jumps on the trampoline, 45F. Pelvic floor exercises?",
        "urinary incontinence",
    ),
    (
        "Sudden urgency and can't reach the toilet in time, going every hour, 70F. Anticholinergic?",
        "urinary incontinence",
    ),
    ("Painful erection lasting 5 hours in a man with sickle cell disease. Aspiration?", "priapism"),
    (
        "eGFR 42 on two tests three months apart with an ACR of 40 in a diabetic man. Management?",
        "chronic kidney disease",
    ),
    (
        (
            "Creatinine has doubled from baseline in 48 hours and urine output is low, after diarrhoea on "
            "ramipril. What to stop?"
        ),
        "acute kidney injury",
    ),
    # Dermatology.
    (
        "Itchy dry red patches in the elbow and knee creases of a 4yo with asthma. Emollients and which steroid?",
        "atopic eczema",
    ),
    (
        "Baby with dry, itchy, weeping patches on the cheeks and flexures, scratching at night. Steroid strength?",
        "atopic eczema",
    ),
    (
        (
            "Well-demarcated salmon-pink plaques with silvery scale on both elbows and knees and the scalp, 30M. "
            "Topical options?"
        ),
        "psoriasis",
    ),
    ("Thick scaly red plaques over the extensor surfaces with pitting of the nails. Topical treatment?", "psoriasis"),
    (
        (
            "16yo with blackheads, whiteheads and inflamed papules and pustules over the face and upper back. "
            "First-line treatment?"
        ),
        "acne vulgaris",
    ),
    ("Facial flushing with papules and pustules on the cheeks and nose, no comedones, 45F. Treatment?", "rosacea"),
    ("Golden honey-coloured crusts around the nose and mouth of a 5yo. Topical or oral?", "impetigo"),
    (
        "Intensely itchy rash worse at night with burrows between the fingers, her partner is itchy too. Permethrin?",
        "scabies",
    ),
    ("Hot, red, spreading, tender swelling of the left shin with a fever, 60M. Oral antibiotic?", "cellulitis"),
    ("Red, warm and swollen lower leg spreading over 2 days from a cut, unilateral. Flucloxacillin?", "cellulitis"),
    (
        "Painful band of blisters on one side of the chest that doesn't cross the midline, 70F. Antivirals?",
        "herpes zoster",
    ),
    (
        "Burning pain along the left side of her back then a vesicular rash in the same strip, 75F. Aciclovir?",
        "herpes zoster",
    ),
    (
        "A mole on his back has changed shape, with an irregular border, several colours and 8 mm across. Refer?",
        "melanoma",
    ),
    (
        "Pearly nodule with rolled edges and telangiectasia on the side of the nose, slowly growing, 70M. Excision?",
        "basal cell carcinoma",
    ),
    (
        "Itchy raised wheals that come and go over hours, each one gone within a day, for 2 weeks. Antihistamine?",
        "urticaria",
    ),
    (
        (
            "A single oval scaly patch on the trunk followed a week later by smaller patches in a Christmas-tree "
            "pattern. Treatment?"
        ),
        "pityriasis rosea",
    ),
    (
        "Itchy ring-shaped scaly patch with a clearing centre on her arm, the family cat has similar. Antifungal?",
        "tinea",
    ),
    ("Greasy yellow scales around the eyebrows, sides of the nose and scalp. Treatment?", "seborrhoeic dermatitis"),
    (
        "Itchy red rash under her watch strap and earrings, worse since a new piercing. Patch testing?",
        "contact dermatitis",
    ),
    (
        "Recurrent painful boils in both armpits and groins with scarring and tracts, 25F smoker. Treatment?",
        "hidradenitis suppurativa",
    ),
    ("Patches of complete loss of skin colour on the hands and around the mouth, 30F. Treatment?", "vitiligo"),
    ("Smooth patch on the scalp with exclamation-mark hairs at its edge, 14yo. Prognosis?", "alopecia areata"),
    ("Small pearly umbilicated papules on the trunk of a 4yo. Treat?", "molluscum contagiosum"),
    (
        (
            "Shallow ulcer above the medial malleolus with surrounding brown staining and varicose veins, 75F. "
            "Compression?"
        ),
        "venous leg ulcers",
    ),
    (
        "Bed-bound 88M with a broken area of skin over his sacrum, non-blanching redness around it. Dressing?",
        "pressure ulcers",
    ),
    # ENT.
    (
        "Swimmer with a painful itchy ear canal and pain when the tragus or pinna is pulled. Drops?",
        "acute otitis externa",
    ),
    (
        "Severe sore throat with trismus, a hot-potato voice and the uvula pushed to one side, 20M. Drain?",
        "peritonsillar abscess",
    ),
    (
        "Blocked nose with thick green discharge and pain over the cheeks for 12 days after a cold, 35F. Antibiotics?",
        "acute sinusitis",
    ),
    ("Nose bleed for 30 minutes that won't stop despite pinching, 70M on warfarin. Next?", "epistaxis"),
    ("Sudden loss of hearing in the right ear overnight, no pain, 50M. Steroids?", "hearing loss"),
    ("Progressive one-sided hearing loss with tinnitus in the left ear, 55F. MRI?", "vestibular schwannoma"),
    (
        "Teenager with a sore throat, fever, big neck glands and extreme tiredness, splenomegaly. Test?",
        "infectious mononucleosis",
    ),
    ("Hoarse voice for 5 weeks in a smoker, 62M. Refer?", "hoarseness"),
    ("Muffled hearing in both ears, ear canals blocked with hard brown wax. Drops?", "earwax"),
    # Eyes.
    (
        (
            "Severe painful red eye with haloes round lights, a fixed mid-dilated pupil and vomiting, 68F. First "
            "treatment?"
        ),
        "acute angle-closure glaucoma",
    ),
    (
        (
            "Sudden aching right eye and headache after coming out of the cinema, blurred vision with rainbow "
            "haloes, hazy cornea. Next?"
        ),
        "acute angle-closure glaucoma",
    ),
    (
        (
            "Both eyes red and gritty with a sticky yellow discharge, eyelids stuck together in the morning. "
            "Chloramphenicol?"
        ),
        "conjunctivitis",
    ),
    (
        (
            "Sudden new floaters and flashing lights, then a dark shadow coming across the vision in his left "
            "eye. Refer urgently?"
        ),
        "retinal detachment",
    ),
    (
        (
            "Painful red eye with photophobia, a small irregular pupil and ciliary flush, 32M with morning back "
            "stiffness. Treatment?"
        ),
        "anterior uveitis",
    ),
    ("Gradually cloudy vision with glare from headlights when driving at night, 74M. Surgery?", "cataract"),
    (
        "Straight lines look wavy and there's a dark spot in the centre of her vision, 80F. Referral speed?",
        "age-related macular degeneration",
    ),
    (
        "Swollen red eyelids with pain on eye movement and reduced vision after sinusitis, 8yo. CT?",
        "periorbital and orbital cellulitis",
    ),
    ("Scratched eye with a fingernail, painful and watering, fluorescein uptake. Treatment?", "corneal abrasion"),
    # Psychiatry.
    (
        (
            "Low mood and loss of interest for 2 months, waking at 4am, poor appetite and feeling worthless, 40M. "
            "Treatment?"
        ),
        "depression",
    ),
    (
        (
            "She has felt down nearly every day for six weeks, has stopped enjoying anything and can't "
            "concentrate at work. SSRI?"
        ),
        "depression",
    ),
    (
        "Worries constantly about everything for 8 months, can't relax, tense muscles and poor sleep, 35F. Treatment?",
        "generalised anxiety disorder",
    ),
    (
        (
            "Sudden episodes of pounding heart, sweating, shaking and fear of dying that peak within 10 minutes, "
            "out of the blue. Treatment?"
        ),
        "panic disorder",
    ),
    (
        "Flashbacks and nightmares after an assault 6 months ago, avoids the area and is constantly on edge. Therapy?",
        "post-traumatic stress disorder",
    ),
    (
        (
            "Not sleeping for days, grandiose plans, spending sprees and pressured speech, previous depressive "
            "episodes. Mood stabiliser?"
        ),
        "bipolar disorder",
    ),
    (
        (
            "Hearing voices commenting on what he does and believes the neighbours are spying on him through the "
            "TV, 22M. Antipsychotic?"
        ),
        "psychosis",
    ),
    (
        (
            "Washes her hands 50 times a day because of intrusive fears of contamination, and checks the locks "
            "repeatedly. Treatment?"
        ),
        "obsessive-compulsive disorder",
    ),
    (
        "16F with a BMI of 15, restricting food, exercising excessively and no periods for 6 months. Admit?",
        "eating disorders",
    ),
    (
        "Drinks a bottle of vodka a day, shakes in the morning and needs a drink to steady them. Detox?",
        "alcohol use disorder",
    ),
    ("Can't get to sleep for 2 hours most nights for 4 months, exhausted during the day. Treatment?", "insomnia"),
    (
        (
            "Intense fear of being judged in social situations, avoids eating in front of others and "
            "presentations. Therapy?"
        ),
        "social anxiety disorder",
    ),
    (
        (
            "On sertraline, started tramadol, now agitated with clonus, dilated pupils and a temperature of 38.5. "
            "Management?"
        ),
        "serotonin syndrome",
    ),
    (
        "On haloperidol, now rigid with a temperature of 40, confused and CK 12000. Treatment?",
        "neuroleptic malignant syndrome",
    ),
    # Haematology and oncology.
    (
        "Tired and pale, Hb 92 with an MCV of 68 and low ferritin in a 35F with heavy periods. Iron dose?",
        "iron deficiency anaemia",
    ),
    (
        "Macrocytic anaemia with tingling in the feet and a sore red tongue, 60F, vegan. Injections?",
        "vitamin B12 deficiency",
    ),
    (
        "Child with sudden petechiae and bruising after a viral illness, platelets 12, otherwise well. Treat?",
        "immune thrombocytopenia",
    ),
    ("4yo with pallor, bruising, bone pain and blasts on the film. Next?", "leukaemia"),
    ("Painless rubbery lumps in the neck for 2 months with night sweats and weight loss, 28M. Biopsy?", "lymphoma"),
    (
        "Back pain, raised calcium, anaemia and renal impairment in a 70M, paraprotein on electrophoresis. Next?",
        "multiple myeloma",
    ),
    (
        "Boy with a swollen painful knee after a minor knock, prolonged APTT and normal PT. Factor levels?",
        "haemophilia",
    ),
    (
        "Hard irregular painless lump in the left breast with skin tethering and nipple retraction, 58F. Referral?",
        "breast cancer",
    ),
    (
        "Known prostate cancer with new thoracic back pain and weakness in both legs, 72M. Steroids and MRI?",
        "metastatic spinal cord compression",
    ),
    ("Temperature of 38.6 a week after chemotherapy, neutrophils 0.3. Antibiotics?", "febrile neutropenia"),
    # Infection.
    ("Confused and mottled, temperature 39, BP 82/50, HR 128, with a chest infection, 76F. Fluids?", "sepsis"),
    ("Fever, rigors and headache 10 days after returning from Nigeria, no prophylaxis. Test?", "malaria"),
    ("Expanding red bull's-eye rash on the thigh a week after a tick bite while hiking. Doxycycline?", "Lyme disease"),
    ("Asymptomatic 20F, partner has a urethral discharge. Test and treat?", "chlamydia"),
    ("Painful shallow genital ulcers with tender inguinal lymph nodes and dysuria, 24F. Treatment?", "genital herpes"),
    ("Painless ulcer on the penis 3 weeks after unprotected sex, rubbery inguinal nodes. Serology?", "syphilis"),
    (
        "Fever, rash, mouth ulcers and swollen glands 3 weeks after unprotected sex with a new partner. Test?",
        "HIV infection",
    ),
    (
        "17yo with exudative tonsils, posterior neck glands and fatigue, rash after amoxicillin. Test?",
        "infectious mononucleosis",
    ),
    ("Swollen tender parotid glands on both sides with fever in an unvaccinated student. Notify?", "mumps"),
    # Endocrine.
    ("HbA1c 58 on repeat in a 55M with a BMI of 33, no symptoms. First drug?", "type 2 diabetes"),
    (
        "9yo with thirst, passing lots of urine and weight loss over 3 weeks, glucose 22. Same day referral?",
        "type 1 diabetes",
    ),
    (
        "Type 1 diabetic with vomiting, abdominal pain, deep sighing breaths and blood ketones 5.2. Fluids?",
        "diabetic ketoacidosis",
    ),
    ("Sweaty, shaky and confused, capillary glucose 2.4 in a man on gliclazide. Treatment?", "hypoglycaemia"),
    (
        (
            "Tired, cold all the time, weight gain, constipation and dry skin, TSH 24 with low free T4, 50F. "
            "Levothyroxine dose?"
        ),
        "hypothyroidism",
    ),
    (
        "Weight loss, tremor, heat intolerance and palpitations with a low TSH and high free T4, 30F. Treatment?",
        "hyperthyroidism",
    ),
    (
        "Fatigue, weight loss, salt craving and darkening of the skin creases, sodium 128, potassium 5.8. Test?",
        "adrenal insufficiency",
    ),
    (
        "Central weight gain, purple abdominal striae, easy bruising and proximal muscle weakness, 40F. Test?",
        "Cushing's syndrome",
    ),
    ("Calcium 2.85 with a high PTH, kidney stones and aches, 60F. Surgery?", "primary hyperparathyroidism"),
    (
        "Elderly man, drowsy and very dehydrated, glucose 48, osmolality 340, no ketones. Fluids?",
        "hyperosmolar hyperglycaemic state",
    ),
    ("Sodium 119 in an 80F on a thiazide who is confused. Correction rate?", "hyponatraemia"),
    (
        "Potassium 7.1 with peaked T waves on ECG in a man with CKD on spironolactone. Calcium gluconate?",
        "hyperkalaemia",
    ),
    (
        "Enlarging hands and feet, coarse facial features and a large jaw, sweating and headaches, 45M. Test?",
        "acromegaly",
    ),
    (
        "Episodes of headache, sweating and palpitations with very high blood pressure spikes, 35F. Test?",
        "phaeochromocytoma",
    ),
    # Abbreviations, laterality, tense, filler words.
    (
        "82F with worsening SOB on exertion, orthopnoea and bilat ankle oedema, BNP 2100. Diuretic dose?",
        "heart failure",
    ),
    ("17M, 24h of periumbilical pain now in the RIF with N&V and anorexia. Bloods and scan?", "appendicitis"),
    ("Fell off a ladder and hit his head, brief LOC and vomited twice since, 45M. CT head?", "head injury"),
    (
        "Headbutted by a horse, knocked out for a minute, now drowsy and has a scalp haematoma, 30F. Imaging?",
        "head injury",
    ),
    (
        "Minutes after a peanut snack his lips swelled up, he's wheezy and his BP is 78/40. Adrenaline dose?",
        "anaphylaxis",
    ),
    ("Stung by a wasp, now generalised hives, tongue swelling and a hoarse voice, 40F. IM adrenaline?", "anaphylaxis"),
    ("72F with painful calf cramps most nights, stretching eases them, on a thiazide. Quinine?", "muscle cramps"),
    ("Wakes most nights with sudden painful spasms in his left calf, 68M. What helps?", "muscle cramps"),
    (
        (
            "Right side of his face drooping since he woke this morning, forehead involved, can't fully shut the "
            "right eyelid. Steroids?"
        ),
        "Bell's palsy",
    ),
    (
        "Painful, swollen R calf 4 days post-op from a hip replacement, 3 cm larger than the left. D-dimer or scan?",
        "deep vein thrombosis",
    ),
    ("Irregularly irregular pulse at 140 bpm with SOB, 75M, new finding. Rate control?", "atrial fibrillation"),
    (
        "59M, central chest pain radiating to the L arm for 30 min, sweaty, ECG shows ST depression in V4-V6. Next?",
        "acute coronary syndrome",
    ),
    ("Sudden L-sided weakness and slurred speech, onset 40 mins ago, BP 190/100. Thrombolysis?", "stroke"),
    ("Sudden SOB and pleuritic chest pain 10 days post-partum, HR 120, SpO2 90%. Next?", "pulmonary embolism"),
    (
        "Severe L loin pain radiating to the groin, rolling around on the trolley, blood on dipstick. CT KUB?",
        "renal colic",
    ),
    (
        "13yo with sudden onset L testicular pain and vomiting for 2 hours, testis high-riding and tender. Surgery?",
        "testicular torsion",
    ),
    ("Temp 38.9, HR 125, RR 28, BP 85/50 and confused, with a UTI. Sepsis six?", "sepsis"),
    # More GI and hepatology.
    (
        "Upper abdominal discomfort and bloating after meals for 2 months, no alarm features, 35F. Test and treat?",
        "dyspepsia",
    ),
    ("Gnawing epigastric pain that wakes him at night and is eased by eating, on ibuprofen. PPI?", "dyspepsia"),
    (
        "Itching and fatigue in a 52F with a raised ALP and positive anti-mitochondrial antibodies. Treatment?",
        "primary biliary cholangitis",
    ),
    ("Jaundiced and confused 3 days after a paracetamol overdose, INR 4.5. Transfer?", "acute liver failure"),
    (
        "Fatigue, joint pains in the knuckles and a ferritin of 1400 with transferrin saturation 70%, 45M. Gene test?",
        "hereditary haemochromatosis",
    ),
    (
        "Painless bright red bleeding on the paper and a lump at the anus after opening his bowels, 35M. Banding?",
        "haemorrhoids",
    ),
    ("Painful swelling with discharge in the natal cleft of a hairy 19M. Surgery?", "pilonidal disease"),
    (
        "Sharp pain like passing glass on defecation with fresh blood on the paper, 6 weeks, 30F. GTN ointment?",
        "anal fissure",
    ),
    # More MSK and rheumatology.
    (
        (
            "Stiff and achy shoulders and hips every morning for 2 hours, can't lift her arms to brush her hair, "
            "74F. Prednisolone?"
        ),
        "polymyalgia rheumatica",
    ),
    (
        "Young woman with a butterfly rash over the cheeks, joint pains, mouth ulcers and positive ANA. Next test?",
        "systemic lupus erythematosus",
    ),
    ("Fingers turn white then blue then red in the cold, 25F, otherwise well. Nifedipine?", "Raynaud's phenomenon"),
    (
        "Dry eyes and dry mouth for a year with swollen parotid glands, anti-Ro positive, 50F. Treatment?",
        "Sjögren's syndrome",
    ),
    (
        "7yo with a purpuric rash on the buttocks and legs, joint pain and abdominal pain after a cold. Urine test?",
        "henoch-schonlein purpura",
    ),
    (
        "5yo with a limp after a cold last week, afebrile, hip movements slightly reduced, well otherwise. Observe?",
        "transient synovitis",
    ),
    (
        (
            "Pain over the outer hip, worse lying on that side at night, tender over the greater trochanter, 55F. "
            "Injection?"
        ),
        "greater trochanteric pain syndrome",
    ),
    (
        "Burning pain between the 3rd and 4th toes like walking on a pebble, worse in tight shoes. Injection?",
        "morton neuroma",
    ),
    (
        "Numb burning patch on the outer thigh in a 45M who wears a heavy tool belt. Management?",
        "meralgia paraesthetica",
    ),
    (
        (
            "Pain in the right shoulder lifting his arm overhead, painful arc and weakness on external rotation, "
            "58M. Imaging?"
        ),
        "rotator cuff disorders",
    ),
    (
        "16F with pain around the kneecap going downstairs and after sitting in the cinema. Physio?",
        "patellofemoral pain syndrome",
    ),
    # More paediatrics.
    (
        "6-week check: left hip clunks on Barlow and there is limited abduction. Ultrasound?",
        "developmental dysplasia of the hip",
    ),
    ("3-month-old with a cold for 2 days, now coughing, wheezy and feeding poorly, RR 60. Oxygen?", "bronchiolitis"),
    (
        "9-month-old whose weight has fallen from the 75th to the 25th centile, eating little. Next?",
        "faltering growth",
    ),
    (
        (
            "11-month-old with bouts of screaming every 20 minutes, pulling her legs up, and a jelly-like bloody "
            "stool. Next?"
        ),
        "intussusception",
    ),
    (
        "7-week-old boy vomits forcefully across the room after every feed, seems hungry afterwards. Next?",
        "vomiting in infants",
    ),
    # More eyes and ENT.
    (
        (
            "Flashing lights and a shower of floaters in his right eye, then a shadow spreading from the side, "
            "myopic 55M. Urgent?"
        ),
        "retinal detachment",
    ),
    (
        "A few new floaters and occasional flashes in her left eye over a day, no shadow, 62F. Refer?",
        "retinal detachment",
    ),
    (
        (
            "18-month-old with a high temperature and tugging at her right ear, red bulging tympanic membrane. "
            "Amoxicillin?"
        ),
        "acute otitis media",
    ),
    (
        "Sneezing and a streaming nose every spring when the trees pollinate, itchy eyes. Nasal spray?",
        "allergic rhinitis",
    ),
    # More infection.
    (
        "Red, hot and swollen right foot with a spreading margin after a cut, 55M with diabetes. Antibiotics?",
        "cellulitis",
    ),
    ("Cough with green sputum, fever and L basal crackles for 3 days, CRP 150, 65M. Antibiotic?", "pneumonia"),
    (
        "Weight loss, night sweats and cough for 6 weeks in a homeless man, cavity on CXR. Sputum samples?",
        "tuberculosis",
    ),
    ("Burning when she pees and needing to go every half hour, 30F. Nitrofurantoin?", "urinary tract infection"),
    ("Temp 39 with rigors and L loin tenderness, dysuria for 3 days, 25F. Antibiotic?", "acute pyelonephritis"),
    # Narrowed patterns still read their own condition.
    ("Persistent GTN after a molar pregnancy with a rising hCG. Chemotherapy?", "gestational trophoblastic disease"),
    ("4yo with hard pellet-like stools every 5 days and straining. Laxative?", "constipation"),
    ("Unprotected sex last night, 22F, not on any contraception. Which pill?", "emergency contraception"),
    ("9-month-old baby with a cold, cough and wheeze, feeding less. Admit?", "bronchiolitis"),
    ("He has lost his hearing in the left ear since a loud concert, 25M. Refer?", "hearing loss"),
    ("Comedones and pustules on the forehead and chin of a 15yo girl. Topical retinoid?", "acne vulgaris"),
    # Second wordings for common presentations.
    (
        "Ultrasound of the abdominal aorta shows 5.8 cm in a 70M ex-smoker, asymptomatic. Repair?",
        "abdominal aortic aneurysm",
    ),
    (
        (
            "Barium swallow shows a bird's-beak narrowing, 40F with dysphagia to liquids and solids and chest "
            "pain. Treatment?"
        ),
        "achalasia",
    ),
    (
        "Jaundiced with rigors and right upper quadrant pain, temp 39.4, known gallstones, 78F. ERCP timing?",
        "acute cholangitis",
    ),
    (
        "Creatinine up from 85 to 240 in two days with poor urine output in a septic 70M. Fluids?",
        "acute kidney injury",
    ),
    (
        (
            "Sore throat for 3 days with fever, tender anterior neck glands and tonsillar exudate, no cough, 19F. "
            "FeverPAIN?"
        ),
        "acute sore throat",
    ),
    (
        "Can't pass urine since last night, lower abdomen swollen and tender, 75M on an anticholinergic. Catheter?",
        "acute urinary retention",
    ),
    (
        "Shoulder has become painful and stiff over months, she can barely rotate it outwards, 55F. Hydrodilatation?",
        "adhesive capsulitis",
    ),
    (
        (
            "Postural dizziness, tiredness, pigmented palmar creases and a low sodium with high potassium, 35F. "
            "Short Synacthen?"
        ),
        "adrenal insufficiency",
    ),
    (
        (
            "Drinking 80 units a week, needs an eye-opener each morning and has lost his job, 48M. Medication to "
            "stay dry?"
        ),
        "alcohol use disorder",
    ),
    (
        (
            "Inversion injury of the left ankle, tender over the tip of the medial malleolus and can't take 4 "
            "steps. X-ray?"
        ),
        "ankle injury",
    ),
    ("Recurrent wheeze and a cough at night in a 9yo, worse after running at PE. Preventer inhaler?", "asthma"),
    (
        "Teacher says the 8yo is fidgety, easily distracted and impulsive, parents see it at home too. Refer?",
        "attention deficit hyperactivity disorder",
    ),
    (
        "2.5yo not responding to his name, no pretend play, flaps his hands and repeats phrases. Assessment?",
        "autism spectrum disorder",
    ),
    (
        "Six days of elated mood, needing little sleep, racing thoughts and reckless spending, 24F. Admit?",
        "bipolar disorder",
    ),
    ("70F smoker with visible blood in the urine but no pain, urine culture negative. Cystoscopy?", "bladder cancer"),
    ("Painless firm lump in the upper outer right breast, irregular and tethered, 62F. Referral?", "breast cancer"),
    (
        (
            "Chronic daily cough with large amounts of green sputum for years and frequent infective "
            "exacerbations, 50F. CT?"
        ),
        "bronchiectasis",
    ),
    (
        "Her vision has slowly become misty over 2 years with glare from bright lights, 78F. Refer for surgery?",
        "cataract",
    ),
    ("Heavy drinker with ascites, jaundice, a small liver on ultrasound and low albumin. Next?", "cirrhosis"),
    (
        "Chronic diarrhoea with bloating and weight loss, symptoms worse when she eats bread, 25F. Antibody test?",
        "coeliac disease",
    ),
    ("Biopsy at sigmoidoscopy shows adenocarcinoma in a 66M with altered bowel habit. Staging?", "colorectal cancer"),
    ("Sticky eyes with yellow crust on the lashes in a 3yo at nursery. Drops?", "conjunctivitis"),
    ("Hard stools only every 5 days with straining in a 70F on codeine. Laxative?", "constipation"),
    (
        "Left testis is not in the scrotum at the 6-8 week check and can't be brought down. Refer when?",
        "cryptorchidism",
    ),
    (
        "Pain over the radial side of the wrist when lifting her newborn, positive Finkelstein. Splint?",
        "de quervain tenosynovitis",
    ),
    (
        "Known type 1 diabetic with vomiting, abdominal pain and ketones of 4.5, glucose 28. Insulin rate?",
        "diabetic ketoacidosis",
    ),
    (
        "FOOSH in a 70F with a swollen painful wrist and tenderness over the distal radius. Cast?",
        "distal radius fracture",
    ),
    (
        "Left lower quadrant pain with fever in a 72M, CT shows sigmoid diverticula with inflammation. Antibiotics?",
        "diverticular disease",
    ),
    (
        "15F who is restricting food and has a BMI of 15.5, exercising for hours, periods stopped. Refer?",
        "eating disorders",
    ),
    (
        "Cyclical pelvic pain with deep dyspareunia and painful bowel movements during periods, 30F. Imaging?",
        "endometriosis",
    ),
    ("Swollen tender left testis over 3 days with a urethral discharge, 23M. Treat for STI?", "epididymo-orchitis"),
    (
        "Witnessed tonic-clonic episode with tongue biting at home in a 30F, never happened before. Driving?",
        "epilepsy",
    ),
    ("Nose bleeding heavily from both nostrils for 40 minutes despite pressure, on apixaban, 80M. Next?", "epistaxis"),
    (
        "His hands shake when he lifts a cup or writes, steady at rest, his mother had the same, 60M. Treatment?",
        "essential tremor",
    ),
    (
        (
            "Widespread aching all over her body for a year with fatigue and unrefreshing sleep, inflammatory "
            "markers normal. Exercise?"
        ),
        "fibromyalgia",
    ),
    (
        (
            "Sudden vomiting and watery diarrhoea in a 3yo after a birthday party, passing urine, mucous "
            "membranes moist. ORS?"
        ),
        "gastroenteritis",
    ),
    (
        (
            "Worrying excessively about work, family and money for a year, can't stop worrying, muscle tension. "
            "Treatment?"
        ),
        "generalised anxiety disorder",
    ),
    ("28 weeks pregnant, fasting glucose 6.1 on OGTT, BMI 34. Next?", "gestational diabetes"),
    (
        "Changing pads every hour and flooding at night during periods, 42F, uterus normal size. Tranexamic acid?",
        "heavy menstrual bleeding",
    ),
    (
        "Recurrent painful nodules and abscesses in the groin and under the breasts with sinus tracts. Antibiotic?",
        "hidradenitis suppurativa",
    ),
    ("Potassium of 6.9 in a man on an ACE inhibitor with CKD, ECG shows tented T waves. Treatment?", "hyperkalaemia"),
    (
        "Heat intolerance, weight loss and palpitations with a goitre, TSH suppressed, 28F. Carbimazole?",
        "hyperthyroidism",
    ),
    ("Found drowsy and sweaty by her husband, blood glucose 2.1, on insulin. Glucagon?", "hypoglycaemia"),
    ("Fatigue, weight gain and feeling cold, TSH raised at 18 with a low free T4, 60F. Treatment?", "hypothyroidism"),
    (
        (
            "Progressive dyspnoea over a year with fine bibasal crackles and clubbing, CT shows honeycombing, "
            "74M. Antifibrotic?"
        ),
        "idiopathic pulmonary fibrosis",
    ),
    ("Crusted yellow sores spreading around the mouth of a child at school. Fusidic acid?", "impetigo"),
    (
        "A bulge in the left groin above the inguinal ligament that goes back in when he lies down, 62M. Surgery?",
        "inguinal hernia",
    ),
    (
        "Difficulty falling asleep and waking at 3am most nights for 6 months, tired and irritable by day. CBT-I?",
        "insomnia",
    ),
    ("Hb 95 with a low MCV and a ferritin of 6 in a 30F. Oral iron?", "iron deficiency anaemia"),
    (
        (
            "Pain on the outer side of the elbow when gripping tools, tender over the lateral epicondyle, 45M "
            "carpenter. Brace?"
        ),
        "lateral epicondylitis",
    ),
    ("Persistent cough, haemoptysis and weight loss in a 68M smoker, a mass on CXR. CT?", "lung cancer"),
    (
        (
            "Enlarged painless rubbery lymph nodes in the neck and axilla with drenching night sweats, 30F. "
            "Excision biopsy?"
        ),
        "lymphoma",
    ),
    ("High fever and rigors a week after returning from Ghana, didn't take prophylaxis. Blood film?", "malaria"),
    ("49F with irregular periods, hot flushes and poor sleep for 6 months. HRT options?", "menopause"),
    ("8 weeks pregnant, heavy vaginal bleeding with clots and cramping, closed os. Scan?", "miscarriage"),
    (
        "Progressive painless weakness with fasciculations in the thighs and slurred speech, 65M. EMG?",
        "motor neurone disease",
    ),
    ("Bone pain, hypercalcaemia and renal impairment in a 72F, serum paraprotein. Next?", "multiple myeloma"),
    (
        "Ptosis and diplopia that worsen towards evening and improve with rest, 30F. Ice pack test?",
        "myasthenia gravis",
    ),
    ("Sore neck for 5 days after working at the computer for long hours, no arm symptoms. Advice?", "neck pain"),
    ("2-day-old term baby visibly yellow, breastfeeding well. Bilirubin?", "neonatal jaundice"),
    (
        "Checks the gas and locks many times before leaving the house, intrusive thoughts, 30M. CBT with ERP?",
        "obsessive-compulsive disorder",
    ),
    ("DEXA T-score of -3.1 at the hip in a 70F after a fragility fracture. Bisphosphonate?", "osteoporosis"),
    (
        "Persistent abdominal bloating and early satiety for 3 months, 55F, ascites on ultrasound. CA125?",
        "ovarian cancer",
    ),
    (
        (
            "Recurrent unexpected attacks of palpitations, breathlessness and fear of losing control, worries "
            "about the next attack. Treatment?"
        ),
        "panic disorder",
    ),
    (
        "Bilateral lower abdominal pain with cervical excitation and a temperature of 38.1, 20F. Antibiotic regimen?",
        "pelvic inflammatory disease",
    ),
    (
        "Feels a lump coming down in the vagina and a dragging ache, worse standing, 60F. Pessary?",
        "pelvic organ prolapse",
    ),
    (
        (
            "Heel pain on the first steps in the morning and after sitting, tender at the medial calcaneal "
            "tubercle. Stretching?"
        ),
        "plantar fasciitis",
    ),
    (
        "Oligomenorrhoea, acne and hirsutism in a 22F, ultrasound shows many peripheral follicles. Treatment?",
        "polycystic ovary syndrome",
    ),
    (
        "Nightmares and flashbacks of the car crash for 3 months, he avoids driving. Trauma-focused CBT?",
        "post-traumatic stress disorder",
    ),
    (
        "Four weeks after the birth she feels hopeless, tearful and unable to cope with the baby. Referral?",
        "postnatal depression",
    ),
    (
        "Soft boggy uterus and heavy bleeding 20 minutes after delivery of the placenta, 900 mL. Oxytocin?",
        "postpartum haemorrhage",
    ),
    ("31 weeks pregnant with regular contractions and a cervix 3 cm dilated. Tocolysis?", "preterm labour"),
    ("Hard irregular prostate on rectal exam and a raised PSA of 12, 72M. Biopsy?", "prostate cancer"),
    (
        "Believes he is being followed by the police and hears voices telling him what to do, 24M. Antipsychotic?",
        "psychosis",
    ),
    (
        (
            "Uncomfortable creeping sensations in his legs in the evening, eased by moving them, wakes him at "
            "night. Ferritin?"
        ),
        "restless legs syndrome",
    ),
    (
        (
            "Redness and flushing of the cheeks with papules and pustules on the nose and cheeks, no comedones, "
            "50M. Topical?"
        ),
        "rosacea",
    ),
    ("Dry cough and bilateral hilar lymphadenopathy with a raised ACE in a 35F. Steroids?", "sarcoidosis"),
    (
        "Itchy papules and burrows on the wrists and finger webs, worse at night, whole family affected. Treatment?",
        "scabies",
    ),
    ("Sore throat with a fine sandpaper rash and flushed cheeks in a 5yo. Antibiotic?", "scarlet fever"),
    (
        "On fluoxetine and recently started tramadol, now agitated with clonus and hyperthermia. Management?",
        "serotonin syndrome",
    ),
    (
        (
            "Vomiting with abdominal distension and absolute constipation, dilated small bowel loops on X-ray. "
            "Nasogastric tube?"
        ),
        "small bowel obstruction",
    ),
    ("Tonic-clonic seizure lasting more than 5 minutes despite two doses of lorazepam. Next?", "status epilepticus"),
    (
        (
            "Army recruit with shin pain on marching that has increased over 3 weeks, bony tenderness over the "
            "tibia. MRI?"
        ),
        "stress fracture",
    ),
    ("Painless genital ulcer with a clean base 3 weeks after sex with a new partner, 30M. Treatment?", "syphilis"),
    (
        "Bilateral pressing headache like a tight band most days, no nausea or photophobia, 40F. Amitriptyline?",
        "tension-type headache",
    ),
    (
        "Hard painless swelling of the right testis found on self-examination, 30M. Tumour markers?",
        "testicular cancer",
    ),
    (
        (
            "Brief loss of consciousness on standing up from the toilet at night, pale and sweaty, quick "
            "recovery, 60M. ECG?"
        ),
        "transient loss of consciousness",
    ),
    (
        "Sudden lancinating pain in the right jaw lasting seconds when chewing or shaving, 60F. Carbamazepine?",
        "trigeminal neuralgia",
    ),
    ("12yo with polyuria, polydipsia and weight loss for 2 weeks, ketones 2.1. Same-day referral?", "type 1 diabetes"),
    ("HbA1c 62 mmol/mol on two tests in a 60F on no treatment. First-line?", "type 2 diabetes"),
    (
        "Itchy raised weals on the body that appear and fade within hours every day for 8 weeks. Antihistamine dose?",
        "urticaria",
    ),
    (
        "Dilated tortuous veins on the left leg that ache after standing all day, 50F. Compression stockings?",
        "varicose veins",
    ),
    ("Room spinning when she lies down and turns over in bed, lasts under a minute, 65F. Epley?", "vertigo"),
    (
        "Non-healing ulcer above the medial ankle with lipodermatosclerosis and venous eczema, ABPI 1.0. Compression?",
        "venous leg ulcers",
    ),
    (
        "Weak stream, frequency and nocturia in a 68M with a smooth enlarged prostate. Tamsulosin?",
        "lower urinary tract symptoms in men",
    ),
    ("New dark mole with irregular edges and varied colour that has grown over 3 months, 45F. Excision?", "melanoma"),
    (
        "Slow-growing pearly papule with telangiectasia on the forehead, rolled edge, 72F. Surgery?",
        "basal cell carcinoma",
    ),
    (
        "Tingling in both feet, tiredness and a macrocytic anaemia with low B12, 70F. Intramuscular?",
        "vitamin B12 deficiency",
    ),
    ("eGFR 38 in a 75M with hypertension, stable on repeat over 6 months. ACE inhibitor?", "chronic kidney disease"),
    ("6yo with bruising, fatigue, hepatosplenomegaly and blasts in the blood film. Referral?", "leukaemia"),
]

# (near-miss: a neighbouring presentation or the widened words in another sense, the problem it must
# not be read as first)
NOT_FIRST: list[tuple[str, str]] = [
    (
        "Tight chest and heavy chest pressure after a cold, with a productive cough and fever, 30F. Antibiotics?",
        "acute coronary syndrome",
    ),
    (
        "Pain spreading down the left arm from the neck, worse turning the head, tingling in the thumb. Imaging?",
        "acute coronary syndrome",
    ),
    (
        "Sharp chest pain on breathing in and on pressing over the ribs, not related to walking. Cause?",
        "stable angina",
    ),
    ("Her periods are irregular and her pulse is 72 and regular. Is this PCOS?", "atrial fibrillation"),
    ("Her left calf is bruised and tender after a kick at football, no swelling. Ice?", "deep vein thrombosis"),
    (
        "Sore wound and a low-grade fever a week after knee surgery, no breathlessness. Infection?",
        "pulmonary embolism",
    ),
    ("Firm, non-pulsatile mass in the left iliac fossa with constipation, 70F. Scan?", "abdominal aortic aneurysm"),
    ("12yo with a cough and wheeze when playing outside in cold air. Inhaler?", "bronchiolitis"),
    ("Bibasal fine crackles with orthopnoea and ankle swelling, 80M. Diuretic?", "pneumonia"),
    (
        "Cough for three weeks after a cold in a student who recently arrived from France, no fever. Next?",
        "tuberculosis",
    ),
    ("Alternating diarrhoea and constipation with bloating relieved by defecation, 30F. Diagnosis?", "constipation"),
    (
        "Chronic diarrhoea for 3 months after a trip to Nepal, stool shows Giardia cysts. Treatment?",
        "inflammatory bowel disease",
    ),
    ("Iron deficiency with heavy periods and menorrhagia, 40F, no GI symptoms. Iron dose?", "coeliac disease"),
    ("Anorexic teenager with a BMI of 15 and amenorrhoea, restricting food. Admit?", "appendicitis"),
    (
        "Pain under the right ribs after a fall onto the kitchen table, sore to breathe. Rib X-ray?",
        "gallstone disease",
    ),
    (
        "Burning upper abdominal pain after meals that goes to her back at times, on NSAIDs, amylase normal. PPI?",
        "acute pancreatitis",
    ),
    ("Sleepy all day after a night shift, no snoring, 28F nurse. Sleep hygiene?", "obstructive sleep apnoea"),
    (
        "Progressive breathlessness and a dry cough with clubbing, never smoked. CT chest?",
        "chronic obstructive pulmonary disease",
    ),
    ("Changed bowel habit after starting metformin, 60M, no bleeding, Hb normal. Switch drug?", "colorectal cancer"),
    ("Weakness of the right hand after a fracture of the wrist in plaster, 50F. Physio?", "stroke"),
    ("Acute onset of right knee pain and swelling an hour ago after a twist. X-ray?", "stroke"),
    (
        "Lost vision in his left eye and it has not recovered, with flashes and floaters before. Retinal detachment?",
        "transient ischaemic attack",
    ),
    (
        "Headache, the worst she has had this year, building slowly over a week with a cold. Sinusitis?",
        "subarachnoid haemorrhage",
    ),
    ("Fainted in church, pale and sweaty, brief twitching, then fully alert immediately. Driving?", "epilepsy"),
    (
        "Seizing continuously during his febrile illness? No, he had a single 2 minute fit and recovered. Next?",
        "status epilepticus",
    ),
    (
        (
            "Toddler with a fever who stiffened and went blue when crying after a fall, recovered in seconds. "
            "Breath-holding?"
        ),
        "febrile seizure",
    ),
    (
        "Electric shock pain down the back of the leg when bending forward to tie his shoes. Disc?",
        "multiple sclerosis",
    ),
    ("Now agitated and confused over 2 years with gradual memory decline, 82F. Dementia?", "delirium"),
    (
        "Left facial droop sparing the forehead with a weak left arm, started suddenly 1 hour ago. Thrombolysis?",
        "Bell's palsy",
    ),
    ("Stress incontinence when she coughs, no back pain, 50F. Pelvic floor?", "cauda equina syndrome"),
    ("Shooting pain down the left arm into the hand, worse with neck extension. MRI?", "low back pain"),
    ("Jaw pain on chewing with a clicking joint and teeth grinding at night, 25F. Splint?", "giant cell arteritis"),
    ("7yo refusing to walk after twisting his ankle jumping off a wall, no fever. X-ray?", "septic arthritis"),
    (
        "Pain in his right knee when running downhill, swollen after a twisting injury at football, 22M. MRI?",
        "osteoarthritis",
    ),
    ("MCP joints swollen after punching a wall, 19M. X-ray?", "rheumatoid arthritis"),
    (
        (
            "Right leg lies shortened and rotated out after her hip replacement dislocated while getting out of a "
            "low chair, 70F. Reduce?"
        ),
        "hip fracture",
    ),
    ("6yo with reduced hip abduction and a limp for weeks, painless. Perthes?", "developmental dysplasia of the hip"),
    (
        "Numbness in the little finger and half the ring finger at night, elbow leaning at work. Ulnar nerve?",
        "carpal tunnel syndrome",
    ),
    ("Temperature for 5 days with a cough and coryza and a sore throat, 30M. Virus?", "Kawasaki disease"),
    (
        "Weight has gone from the 9th to the 50th centile as he has been eating well, 4yo. Obesity risk?",
        "faltering growth",
    ),
    ("Foul-smelling vaginal discharge, no urinary symptoms, 28F. Swab?", "urinary tract infection"),
    (
        "Positive hCG at 8 weeks with a live intrauterine pregnancy and morning sickness. Dating scan?",
        "ectopic pregnancy",
    ),
    ("Weight loss and vomiting in a 50M with dysphagia. Endoscopy?", "nausea and vomiting in pregnancy"),
    (
        "Colicky lower abdominal pain spreading to the groin with diarrhoea after a takeaway, 30M. Stool culture?",
        "renal colic",
    ),
    (
        "She can't reach the toilet without her frame since the hip operation, no leaks, 80F. Commode?",
        "urinary incontinence",
    ),
    ("Pitting oedema of both ankles with heart failure, 80M. Diuretic?", "psoriasis"),
    (
        "Facial flushing with papules and pustules on the cheeks and nose, no comedones, 45F. Treatment?",
        "acne vulgaris",
    ),
    ("Swollen, tender left calf after a long flight, not red or hot. Scan?", "cellulitis"),
    ("Burning pain in the left side of the chest after lifting, no rash. Musculoskeletal?", "herpes zoster"),
    ("Brown staining of both lower legs with varicose veins, no ulcer. Compression?", "venous leg ulcers"),
    ("Broken area of skin over the knuckle after a fight. Dressing?", "pressure ulcers"),
    ("He lost his hearing test appointment letter and the ear itches after swimming, 30M. Drops?", "hearing loss"),
    ("Hazy vision after cataract surgery last year, no pain. Posterior capsule?", "acute angle-closure glaucoma"),
    ("Red painful eye with photophobia and a small irregular pupil, 30M. Steroid drops?", "conjunctivitis"),
    ("Back pain after a car crash last week with bruising. Analgesia?", "post-traumatic stress disorder"),
    (
        "Previous depressive episodes and low mood again for 3 weeks, sleeping 12 hours. Antidepressant?",
        "bipolar disorder",
    ),
    (
        "Ferritin 900 and transferrin saturation 65% in a man with joint pains. Haemochromatosis?",
        "iron deficiency anaemia",
    ),
    ("Fever and cough after returning from Spain last week. Flu?", "malaria"),
    ("Partner has a new job and they argue, 25F, low mood. Counselling?", "chlamydia"),
    ("Sore throat and fever for 3 days, no sexual history of note, 19F. Penicillin?", "HIV infection"),
    ("Three weeks after unprotected sex she has a positive pregnancy test. Options?", "emergency contraception"),
    (
        "Drinking lots and passing lots of urine since starting lithium, weight stable. Diabetes insipidus?",
        "type 1 diabetes",
    ),
    ("Peaked T waves? No, ECG is normal and potassium is 4.2 in a CKD patient. Statin?", "hyperkalaemia"),
    ("6-week-old cries every evening pulling her legs up, thriving otherwise. Colic?", "intussusception"),
    ("Tugging at his right ear while teething, no fever, eardrum normal. Reassure?", "acute otitis media"),
    ("Loin tenderness after a kick in a rugby match, no fever, urine clear. Rib X-ray?", "acute pyelonephritis"),
    (
        "BP differs by 5 mmHg between arms in a well 40M at a routine check, no pain. Significance?",
        "aortic dissection",
    ),
    (
        (
            "Sudden sharp chest pain after a coughing fit, pleuritic, reduced breath sounds on the right, 22M. "
            "Chest X-ray?"
        ),
        "aortic dissection",
    ),
    ("Splinter haemorrhages under the nails of a builder after hammering, no fever. Cause?", "infective endocarditis"),
    (
        "His feet suddenly went cold and pale while swimming in the sea, warm again after drying off. Raynaud's?",
        "acute limb ischaemia",
    ),
    (
        "Severe right-sided orbital pain with a red eye, blurred vision and haloes, vomiting, 70F. Pressure?",
        "cluster headache",
    ),
    ("Tiredness that gets worse through the day with low mood and poor sleep, 40F. Depression?", "myasthenia gravis"),
    (
        "Wasting of the small hand muscles with numbness in the little finger after an elbow fracture. Ulnar nerve?",
        "motor neurone disease",
    ),
    ("Swelling at the left wrist from a ganglion, painless, 30F. Aspirate?", "distal radius fracture"),
    ("Slept badly for weeks with worry and low mood, no pain anywhere. Insomnia?", "neck pain"),
    ("Localised pain over the tibia after a direct kick in a football match, bruised. X-ray?", "stress fracture"),
    ("Back pain and stiffness after a day of gardening, eases with rest, 55M. Analgesia?", "axial spondyloarthritis"),
    ("Firm, irregular nodular breast lump in a 55F. Triple assessment?", "uterine fibroids"),
    ("Itchy ear canal with hearing loss and a red bulging eardrum, fever, 3yo. Antibiotics?", "acute otitis externa"),
    (
        "BP spikes to 170/100 when anxious in clinic, normal readings at home. White coat hypertension?",
        "phaeochromocytoma",
    ),
    ("Toddler vomits forcefully after a bout of coughing at night, well between, 3yo. Asthma?", "vomiting in infants"),
    (
        "Fast heartbeat that builds up gradually with exercise and settles slowly afterwards, 25F. Normal?",
        "supraventricular tachycardia",
    ),
    (
        "Reduced breath sounds on the left base with stony dullness and fever after pneumonia, 60M. Tap it?",
        "pneumothorax",
    ),
    ("Tender red shin lumps after a streptococcal sore throat in a 25F, CXR normal. Cause?", "sarcoidosis"),
    (
        "Resting tremor of the left hand that improves when she reaches for a cup, 70F. Parkinson's?",
        "essential tremor",
    ),
    ("Eye pain on moving the right eye after a finger poke, gritty, vision normal. Abrasion?", "optic neuritis"),
    (
        "Sudden severe left lower abdominal pain with vomiting and a positive pregnancy test at 7 weeks. Scan?",
        "adnexal torsion",
    ),
    (
        "His knee is now rigid after surgery and he can't bend it, 60M on haloperidol for delirium. Physio?",
        "neuroleptic malignant syndrome",
    ),
    ("Calf pain on walking 100 yards, relieved by rest, most days, 70M smoker. ABPI?", "muscle cramps"),
    (
        "Anal fissure pain, started GTN ointment 2 weeks ago and has headaches. Alternative?",
        "gestational trophoblastic disease",
    ),
    ("Bright red bleeding on the toilet paper with a tearing pain on defecation, no lump. Fissure?", "haemorrhoids"),
    (
        "14yo with knee pain after a twisting injury at football, swelling and reduced extension, hip normal. MRI?",
        "slipped capital femoral epiphysis",
    ),
    (
        "Mouth ulcers and sores on the genitals with red eyes after starting a new drug, 30M. Stevens-Johnson?",
        "hand foot and mouth disease",
    ),
    ("Acne lesions at different stages on the face and back, 16M. Treatment?", "chickenpox"),
    ("Flaky scalp with itching and no eggs in the hair, 9yo. Dandruff?", "head lice"),
    ("Fell on his outstretched arm, won't move the elbow and it is swollen, 6yo. X-ray?", "pulled elbow"),
    ("Breastfeeding mum with sore cracked nipples, no redness or fever. Latch?", "mastitis"),
    ("Scrotal swelling that transilluminates, painless, 30M. Hydrocele?", "varicocele"),
    ("Patches of hair loss on the scalp with loss of colour of the hair in those patches, 40F. Alopecia?", "vitiligo"),
    (
        "Groin pain on walking with reduced internal rotation of the hip, 70F. X-ray?",
        "greater trochanteric pain syndrome",
    ),
    ("Numbness over the front of the shin after a knee replacement, 70F. Expected?", "meralgia paraesthetica"),
    (
        "Purpuric rash on the legs with fever and drowsiness in an unwell 2yo. Meningococcal?",
        "henoch-schonlein purpura",
    ),
    (
        "Baby with bilious vomiting and drawing her knees up, abdomen distended, 3 days old. Malrotation?",
        "infantile colic",
    ),
    ("Diffuse thinning of the hair all over 3 months after childbirth, no patches. Reassure?", "alopecia areata"),
    (
        (
            "She cannot close the left eye fully since a blow to the face, the eyelid is swollen shut, no facial "
            "weakness. Orbital fracture?"
        ),
        "Bell's palsy",
    ),
    ("TSH is low with a low free T4 after pituitary surgery, 50M. Central hypothyroidism?", "hyperthyroidism"),
    ("Raised TSH receptor antibodies with bulging eyes and a tremor, 35F. Radioiodine?", "hypothyroidism"),
    (
        "Low urine output overnight in a healthy 30M who drank little on a hot day, creatinine normal. Fluids?",
        "acute kidney injury",
    ),
    (
        (
            "His shoulder has become painful and weak after a fall, unable to lift the arm but full passive "
            "movement, 70M. Cuff tear?"
        ),
        "adhesive capsulitis",
    ),
    (
        "Tired all the time with a low sodium on a thiazide diuretic, 80F, BP normal. Stop the thiazide?",
        "adrenal insufficiency",
    ),
    ("Inversion of the uterus after delivery with heavy bleeding. Management?", "ankle injury"),
    ("No lump in either breast on examination, cyclical breast pain before periods, 30F. Reassure?", "breast cancer"),
    ("Crusted yellow discharge from the eyes with red conjunctiva in a toddler. Drops?", "impetigo"),
    ("Cervical os is closed at a smear test in a 40F who is not pregnant. Result?", "miscarriage"),
    (
        (
            "Recurrent attacks of palpitations with a heart rate of 190 that stop abruptly, ECG shows delta "
            "waves. Ablation?"
        ),
        "panic disorder",
    ),
    ("Mole that has grown hair and stayed the same colour and shape for years, 30F. Reassure?", "melanoma"),
    (
        "Brief loss of consciousness after a punch to the head with vomiting since, 20M. CT head?",
        "transient loss of consciousness",
    ),
    ("Testis is in the scrotum but swollen and tender after a kick, 16M. Ultrasound?", "cryptorchidism"),
    (
        "Uncomfortable burning sensations in both feet in a stocking distribution, diabetic. Neuropathy?",
        "restless legs syndrome",
    ),
    ("Tingling in both hands at night in a pregnant woman, thumb and index finger. Splint?", "vitamin B12 deficiency"),
    ("A single seizure after a dose of midazolam for a scan, lasted a minute, now well. Cause?", "status epilepticus"),
    ("Blood in the urine but no pain after a marathon, clears within a day, 30M. Repeat dipstick?", "bladder cancer"),
    (
        "Frequent infective exacerbations of COPD in a 70M smoker with emphysema, little sputum. Inhaler?",
        "bronchiectasis",
    ),
    (
        "Crushing heavy pain in the chest after a rugby tackle with a tender sternum, 22M. X-ray?",
        "acute coronary syndrome",
    ),
    ("Weak right hand since a glass cut to the wrist, can't straighten the fingers, 30M. Tendon repair?", "stroke"),
    ("EEG shows diffuse delta waves in a drowsy patient with liver failure. Cause?", "supraventricular tachycardia"),
]


@pytest.mark.parametrize(("question", "name"), FIRST)
def test_a_presentation_is_read_as_its_problem_however_it_is_worded(question, name):
    names = read_names(question)
    assert names and names[0] == name, names


@pytest.mark.parametrize(("question", "name"), NOT_FIRST)
def test_a_near_miss_is_not_read_as_the_widened_problem(question, name):
    names = read_names(question)
    assert not names or names[0] != name, names


def test_the_sets_are_large_and_distinct():
    assert len(FIRST) >= 150
    assert len({q for q, _ in FIRST}) == len(FIRST)
    assert len({q for q, _ in NOT_FIRST}) == len(NOT_FIRST)


# How heavy and how long each period is (flooding, hourly pad changes, eight days) makes a heavy-bleeding
# story surer than the iron deficiency or the bleeding tendency it leads to; flooding or pad changes
# alone, in another sense, read nothing.
@pytest.mark.parametrize(
    ("question", "first"),
    [
        (
            "14F, periods heavy from the start, flooding at school, changing pads every hour, 9 days each "
            "cycle; aunt bled badly after a tooth extraction. Hb 101, ferritin 6. Should her clotting be tested?",
            "heavy menstrual bleeding",
        ),
        (
            "41F, her periods have become heavy with flooding overnight despite double protection; Hb 99 and "
            "ferritin 4. Which treatment first?",
            "heavy menstrual bleeding",
        ),
    ],
)
def test_how_heavy_each_period_is_puts_heavy_bleeding_before_what_it_leads_to(question, first):
    assert read_names(question)[0] == first


@pytest.mark.parametrize(
    "question",
    [
        "The river was flooding the road and she was changing pads on her bike. Advice?",
        "Night shift nurse changing pads hourly on a bed-bound man with incontinence: skin care?",
    ],
)
def test_flooding_or_pad_changes_in_another_sense_read_no_heavy_bleeding(question):
    assert "heavy menstrual bleeding" not in read_names(question)


# Findings that name a problem outright, added after `vignettes-unseen38`'s single run (each here in other
# words than that set's): an aortic diameter, a haemoglobin pattern, a bilirubin under phototherapy, a mass
# the scope finds, a carcinoma in situ in a bronchus, a dystrophin deletion, raised tone in an ex-preterm
# child, a right head tilt in an infant, a VIA-positive cervix.
@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("72M, aortic diameter 5.1 cm on his last scan, no pain. When is repair advised?", "abdominal aortic aneurysm"),
        ("Ultrasound for back pain: abdominal aorta measuring 3.6 cm. Follow-up imaging?", "abdominal aortic aneurysm"),
        ("Toddler, HbS 91% with no HbA on electrophoresis, well. Which antibiotic prophylaxis?", "sickle cell disease"),
        ("Heel-prick screening found an FS pattern in this baby; what follow-up is needed?", "sickle cell disease"),
        ("Day-3 newborn under phototherapy, TSB 16 mg/dL and falling. When to stop?", "neonatal jaundice"),
        ("Postnatal ward baby, serum bilirubin rising on repeat, breastfed. Start phototherapy?", "neonatal jaundice"),
        (
            "66M, flexible sigmoidoscopy: friable, obstructing rectal mass 8 cm from the anal verge, biopsy sent. "
            "Staging?",
            "colorectal cancer",
        ),
        (
            "70F, bronchoscopy for haemoptysis: biopsy of a flat lesion in the right upper lobe bronchus shows "
            "carcinoma in situ. Options?",
            "lung cancer",
        ),
        (
            "6-year-old with a known dystrophin gene duplication, still walking. When to start steroids?",
            "muscular dystrophy",
        ),
        (
            "5-year-old, born at 27 weeks, increased tone in both legs and tiptoe walking. Which treatment for the "
            "tone?",
            "cerebral palsy",
        ),
        (
            "4-month-old with a left head tilt and a tight sternocleidomastoid. Physio or referral?",
            "congenital muscular torticollis",
        ),
        (
            "31F, VIA positive at the outreach clinic, lesion small. Treat at the same visit?",
            "cervical intraepithelial neoplasia",
        ),
    ],
)
def test_findings_that_name_a_problem_outright(question, first):
    assert read_names(question)[0] == first


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Thoracic aorta 3.4 cm at the root on echo, Marfan suspected. Which test?", "abdominal aortic aneurysm"),
        ("HbA 97%, HbA2 2.5% on electrophoresis, mild anaemia. Cause?", "sickle cell disease"),
        ("Adult with psoriasis starting phototherapy twice weekly. How long?", "neonatal jaundice"),
        (
            "Mass 4 cm from the anal verge on MRI in a man with an anal squamous carcinoma: chemoradiation?",
            "colorectal cancer",
        ),
        (
            "Adult with increased tone after a stroke last year, spasticity in the arm. Botulinum toxin?",
            "cerebral palsy",
        ),
        ("Carcinoma in situ of the breast (DCIS) on biopsy. Radiotherapy after excision?", "lung cancer"),
    ],
)
def test_near_findings_do_not_name_that_problem(question, name):
    assert read_names(question)[:1] != [name]
