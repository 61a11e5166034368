"""Presentations the reader infers from the story, without the condition being named.

Pins the wider readings added to the problem tables (understand/data/problems*.yaml) for textbook
presentations the reader used to miss: the genotype that names sickle cell disease, bleeding years
after the last period, pain on moving the eye with a relative afferent pupil defect, waking in the
small hours and not getting back to sleep, cyclical bowel pain with deep dyspareunia, and so on.
Each vignette is written for these tests in its own words and must be read with the entry's problem
first; each near-miss describes a neighbouring presentation and must not be read as the problem
whose patterns were widened next to it.
"""

from __future__ import annotations

import pytest
from problem_tables import read_names

# (expected first problem, vignette written for this test; the condition is not named).
FIRST: list[tuple[str, str]] = [
    # Stop 24, from the misses of the ninth unseen set (each in its own words here).
    (
        "subarachnoid haemorrhage",
        "35M, sudden worst-ever occipital pain at the gym an hour ago, vomited. Which scan first?",
    ),
    (
        "inflammatory bowel disease",
        "29M on mesalamine; colonoscopy showed continuous inflammation from the rectum up to the splenic flexure.",
    ),
    ("abortion care", "22F, 7 weeks by dates, requesting a medical termination. Which regimen?"),
    ("cystic fibrosis", "Toddler with a sweat chloride of 95 mmol/L and recurrent chest infections. Airway clearance?"),
    (
        "hydrocephalus",
        "Ex-28 weeker, 4 weeks old, grade III IVH with progressive ventricular dilatation on cranial US. Next step?",
    ),
    (
        "rib fractures",
        "81F slipped in the bathroom, point tenderness over the left lower ribs, sats 96%. First imaging?",
    ),
    (
        "antepartum haemorrhage",
        "31 weeks, fresh PV loss of about 100 mL, painless, CTG normal. Speculum or scan first?",
    ),
    (
        "cervical insufficiency",
        "20 weeks pregnant; her first baby was a spontaneous birth at 27 weeks. Measure the cervix?",
    ),
    ("blood transfusion", "Hip replacement next week, Hb 118 g/L. How do we cut his need for donor blood?"),
    ("impaired visual acuity", "70M, drives, no eye complaints. Should I do a Snellen chart at his annual check?"),
    ("abnormal blood glucose", "52F with BMI 31 seen for a sprained wrist, never had bloods. Should I check an HbA1c?"),
    ("diabetic foot problems", "68F, T2DM, a 1 cm wound under the 2nd MTP head for 6 weeks, ABI 0.9. Which dressing?"),
    ("HIV infection", "Woman in labour with no antenatal bloods: should we do a rapid retroviral test now?"),
    ("genital herpes", "Pregnant at 20 weeks, partner has recurrent genital sores. Type-specific serology?"),
    ("immune thrombocytopenia", "52F, platelets 15, mucosal bleeding, relapsed after splenectomy. Next drug?"),
    ("obsessive-compulsive disorder", "Intrusive thoughts about germs, 5 hours a day of washing despite ERP. Next?"),
    ("pressure ulcers", "Bedbound 90-year-old at home with stage 2 redness over sacrum. Which dressing?"),
    ("irritable bowel syndrome", "Loose stools and crampy abdominal pain for months; is this functional? Which test?"),
    ("cervical spine injury", "Stab wound to the neck, GCS 15, BP 85/50. Collar and board before transport?"),
    ("urinary incontinence", "82M, constantly wet day and night, managed with a sheath catheter. How often?"),
    ("pressure ulcers", "Nursing home: 85F bedbound, Braden 11, non-blanching redness over both heels. Mattress?"),
    ("heavy menstrual bleeding", "41F passing large clots and flooding through pads every hour on day 2. First step?"),
    # Stop 25's widened presentations.
    ("HIV infection", "29F, CD4 count 180, viral load 40,000 copies/mL, starting dolutegravir. Which vaccines?"),
    ("microcephaly", "9mo girl, head circumference 39 cm (-2.5 SD), was normal at birth. Which scan?"),
    ("carotid artery stenosis", "70F on a statin, no previous TIA; duplex: 80% right ICA stenosis. Surgery?"),
    ("spondylolisthesis", "L5 slipped about 20% forward on S1; calves go heavy after walking 200 m. Brace?"),
    ("facioscapulohumeral muscular dystrophy", "Boy with winged scapulae who cannot whistle, like his dad. Tests?"),
    ("prolonged disorders of consciousness", "3 months after a cardiac arrest: opens his eyes, never obeys commands."),
    ("diagnostic flexible bronchoscopy", "On clopidogrel, transbronchial biopsy booked next week. Stop it?"),
    ("renal transplant dysfunction", "Living-donor kidney last year, creatinine 110 -> 180 in a week. Doppler?"),
    ("dental caries", "2-year-old with brown cavitated spots on her upper incisors. Varnish?"),
    ("hormone receptor-positive breast cancer", "ER+ early breast cancer, 5 years of letrozole done. Extend?"),
    ("pancreatic necrosis", "Day 20 of gallstone pancreatitis, febrile, CT: collection containing gas. Necrosectomy?"),
    ("positional plagiocephaly", "5-mo girl, the back of her head flat on one side since birth. Helmet?"),
    ("female genital mutilation", "Pregnant woman from Sudan, labia sewn closed in childhood. Deinfibulation when?"),
    ("congenital heart block", "Pregnant at 18 weeks with lupus and anti-Ro antibodies. Which fetal monitoring?"),
    ("Hodgkin lymphoma", "Neck lump biopsy: Reed-Sternberg cells. Which regimen?"),
    ("castration-resistant prostate cancer", "On leuprorelin, PSA rising on three tests, testosterone <0.5. Next?"),
    ("controlled drugs", "Man on oxycodone for cancer pain asks for two months' supply. How many days allowed?"),
    ("haemoptysis", "Brought up about 200 mL of bright red blood with a cough, old TB. Next step?"),
    (
        "sickle cell disease",
        "Teenager with Hb SC asks what to do about painful episodes at school. Which analgesia plan?",
    ),
    (
        "chlamydia",
        "19-year-old sexually active student with two new partners this term, no symptoms. What to test?",
    ),
    ("endometrial cancer", "61-year-old with spotting of blood five years since her menopause. How do I investigate?"),
    (
        "inflammatory bowel disease",
        "24-year-old with weight loss and a stricturing terminal ileum on MR enterography. Which first treatment?",
    ),
    (
        "stable angina",
        "58-year-old gets chest pain when hurrying for the bus that eases within 3 minutes of rest. Which drug first?",
    ),
    (
        "deep vein thrombosis",
        "Ultrasound shows a non-compressible femoral vein in a woman following hip replacement. How long?",
    ),
    (
        "constipation",
        "3-year-old with hard pellet stools only every four days and faeces palpable in the abdomen. Which laxative?",
    ),
    (
        "axial spondyloarthritis",
        "25-year-old man, a year of back stiffness that eases with exercise, stiff in the mornings, "
        "responds quickly to ibuprofen. What next?",
    ),
    (
        "vulval skin conditions",
        "Itchy vulva for a year in a 70-year-old; examination shows resorption of the labia minora "
        "and a figure of eight pallor. Treatment?",
    ),
    (
        "Paget's disease of bone",
        "79-year-old man whose hats no longer fit, raised alkaline phosphatase of 450, aching bowed femur. Treatment?",
    ),
    (
        "antibiotic prophylaxis before dental procedures",
        "Woman with a mechanical mitral valve needs a tooth extraction at the dentist; amoxicillin first?",
    ),
    ("insomnia", "61-year-old woman who wakes about 4 am and cannot get back to sleep, for a year. What helps?"),
    (
        "endometriosis",
        "29-year-old with dysmenorrhoea and painful bowel movements during her periods. Which test first?",
    ),
    (
        "chronic obstructive pulmonary disease",
        "Ex-smoker of 68 with FEV1 of 42% predicted and sats 89% on air at rest. Does he qualify for oxygen at home?",
    ),
    (
        "bronchiolitis",
        "5-month-old baby with a runny nose and cough for three days, now intercostal recession. Admit?",
    ),
    (
        "irritable bowel syndrome",
        "27-year-old woman, bloating and cramps that settle after opening her bowels, normal bloods. Which treatment?",
    ),
    (
        "microscopic colitis",
        "66-year-old woman with months of watery diarrhoea; the colonoscopy looks normal. Which biopsies matter?",
    ),
    (
        "tic disorders",
        "8-year-old with grimacing, shoulder shrugging and humming, preceded by an urge. Which behavioural therapy?",
    ),
    ("muscle cramps", "83-year-old man with nocturnal calf cramps most nights, bloods normal. Is quinine acceptable?"),
    (
        "interstitial cystitis",
        "Woman with years of pelvic pain that builds as her bladder fills, urine cultures were negative. Next step?",
    ),
    (
        "head and neck cancer",
        "Smoker of 59 with a hard lump in the right side of the neck for a month, no infection. Which test?",
    ),
    (
        "peripheral neuropathy",
        "Woman with T2DM, shooting pains in both feet at night and absent vibration sense to the ankles. Which drug?",
    ),
    ("chronic cough", "Non-smoker with a tickly cough for four months, normal chest x-ray. What should I try?"),
    (
        "febrile neutropenia",
        "Woman on FOLFIRI, day 10 after cycle 2, temp 38.4 at home. Should she come in now?",
    ),
    (
        "child maltreatment",
        "5-month-old with bruises on the neck and behind the ear; parents say he fell but he is not rolling yet. Next?",
    ),
    (
        "congenital muscular torticollis",
        "2-month-old with a firm nodule in the right sternocleidomastoid and the head tilted to the right. Refer?",
    ),
    (
        "stress fracture",
        "Army recruit with shin pain when running since increasing training, x-ray normal. Which imaging next?",
    ),
    (
        "dystonia",
        "50-year-old man with involuntary twisting of the neck, better when he touches his cheek. First treatment?",
    ),
    (
        "Barrett's oesophagus",
        "Endoscopy shows tongues of salmon mucosa 3 cm above the gastro-oesophageal junction. How often to scope?",
    ),
    (
        "dyspepsia",
        "33-year-old with epigastric fullness and postprandial discomfort for two months, no alarm features. Test for?",
    ),
    (
        "pulmonary hypertension",
        "Woman with exertional dyspnoea, tricuspid regurgitant jet velocity 3.4 on echo. What next?",
    ),
    (
        "peripheral vestibular hypofunction",
        "Man still unsteady a month after acute vertigo, abnormal video head impulse, dizzy on head movements. Rehab?",
    ),
    (
        "varicose veins",
        "Man with knotted veins on his calves and small saphenous incompetence on duplex. Which procedure?",
    ),
    (
        "infertility",
        "Couple with regular unprotected intercourse for eighteen months, she is 32. When to refer?",
    ),
    ("hearing loss", "Baby failed the newborn hearing screen in the left ear twice. What happens next?"),
    ("psychosis", "Man of 22 with persecutory ideas and voices for three months. Which antipsychotic first?"),
    (
        "colorectal cancer screening",
        "76-year-old with a normal colonoscopy ten years ago asks whether he needs a repeat colonoscopy.",
    ),
    (
        "venous thromboembolism prophylaxis",
        "Day 1 following an elective knee replacement, on dalteparin. For how many days should it continue?",
    ),
    (
        "surgical site infection",
        "Cefazolin given at induction for a cholecystectomy; continue it after the operation?",
    ),
    (
        "preoperative fasting",
        "Toddler having a general anaesthetic for grommets at 2 pm; until when can he have clear fluids and milk?",
    ),
    (
        "non-spine bone metastases",
        "Breast cancer with a painful osteolytic lesion in the sacrum despite opioids. Single fraction radiotherapy?",
    ),
    ("breast cancer", "Woman of 60, three years after mastectomy, on letrozole. How long should it continue?"),
    (
        "contact dermatitis",
        "Chef with a finger dermatitis that is worse at work and better on holiday. Should she have patch tests?",
    ),
    ("vision screening in children", "Should a 3-year-old at nursery have her eyesight checked, and how?"),
    ("polypharmacy", "84-year-old woman has been on lansoprazole for 6 years without a clear reason. Should it stop?"),
    (
        "cerebral palsy",
        "4-year-old born at 25 weeks with spastic calves and sustained ankle clonus. Would botulinum toxin help?",
    ),
    ("faltering growth", "5-day-old baby has lost 12% of her birth weight on breastfeeding alone. Refer?"),
    (
        "neonatal hypoxic-ischaemic encephalopathy",
        "Term baby delivered pale and floppy after a cord prolapse, needing inflation breaths. Cooling?",
    ),
    (
        "postabortion hemorrhage",
        "After a dilatation and evacuation at 16 weeks she is bleeding profusely with large clots. First drug?",
    ),
    (
        "toxoplasmosis in pregnancy",
        "Pregnant at 14 weeks, swollen cervical lymph nodes and a new cat in the house. What test?",
    ),
    (
        "fetal growth restriction",
        "Pregnant woman at 32 weeks, scan shows AC on the 3rd centile with normal Dopplers. Scan how often?",
    ),
    (
        "chancroid",
        "Man back from Kenya with soft painful ulcers on the glans and fluctuant right inguinal nodes. Treatment?",
    ),
    (
        "vertebral osteomyelitis",
        "Dialysis patient with neck pain and rigors, MRI shows oedema of the adjacent end plates at C5-6. Antibiotics?",
    ),
    ("gestational diabetes", "G2P1 at 28 wks, OGTT fasting 5.8 and still high on diet. Next step?"),
    (
        "blunt cardiac injury",
        "Driver in a collision with sternal bruising; ECG and troponin pending. Cardiac monitoring?",
    ),
    (
        "large hemispheric infarction",
        "58-year-old, infarct involving the entire left MCA territory on CT, becoming drowsy. Craniectomy?",
    ),
    ("chronic kidney disease", "Man on home haemodialysis via an arteriovenous fistula asks about his diet."),
    ("viral hepatitis", "HBeAg positive woman, 28, planning a pregnancy, DNA high. What does she need?"),
    ("genitourinary trauma", "Rugby player with a laceration to the right kidney on CT, stable. Repeat imaging?"),
    (
        "dental caries",
        "18-month-old, town water supply at 0.1 ppm; how can we protect his teeth in the clinic?",
    ),
    ("screening pelvic examination", "Healthy woman of 45 asks whether she needs a yearly bimanual exam."),
    (
        "brief resolved unexplained event",
        "2-month-old was going blue for 20 seconds at home, now completely well. Admit?",
    ),
    (
        "optic neuritis",
        "24-year-old woman, her left eye hurts to move and vision is misty in the left eye, red desaturation. MRI?",
    ),
    (
        "Charcot foot",
        "Man with type 1 diabetes and peripheral neuropathy, warm red swollen midfoot, no wound. Where to refer?",
    ),
    # Stop 26, from the misses of the thirteenth and fourteenth unseen sets (own words here).
    ("leukaemia", "Student of 20, a week of nosebleeds and tiredness, film shows 85% blasts. Which marrow studies?"),
    ("nipple discharge", "29 weeks pregnant, blood-tinged discharge from one duct of her left nipple. Imaging?"),
    ("inflammatory bowel disease", "Girl of 12, months of loose stools, perianal skin tags, faecal calprotectin 1200."),
    ("normal pressure hydrocephalus", "80F, feet stuck to the floor, wetting herself, slowed thinking. Scan?"),
    (
        "renovascular hypertension",
        "BP 190/100 on three drugs, flash pulmonary oedema twice, an abdominal bruit. Which imaging?",
    ),
    ("osteonecrosis of the femoral head", "Long-term prednisolone, groin pain a month, hip x-rays normal. Next?"),
    ("central venous catheter occlusion", "Her PICC flushes but there is no blood return. What do we instil?"),
    (
        "chronic pain in cancer survivors",
        "Three years after lumpectomy and radiotherapy, no sign of recurrence, burning pain in the axilla. Drug?",
    ),
    ("cardiac implantable electronic device follow-up", "ICD in place, has a home transmitter. How often in clinic?"),
    ("intermittent catheterisation", "Man of 40 self-catheterises 4 times a day; urethral bleeding. Catheter?"),
    ("congenital muscular dystrophy", "Baby hypotonic since birth, CK 2500, merosin absent on biopsy. Heart checks?"),
    ("nasopharyngeal carcinoma", "Cantonese man of 50, EBV DNA raised, mass in the fossa of Rosenmuller. Chemo?"),
    ("primary open-angle glaucoma", "Her mother went blind from high eye pressure. Check her optic discs yearly?"),
    ("obesity", "Adolescent with BMI 44 asks about a sleeve gastrectomy. Who does it?"),
    ("adnexal torsion", "26F, sudden severe right-sided pelvic pain, vomiting. Doppler of the right ovary?"),
    ("osteoid osteoma", "Boy of 12, tibial pain worse at night and relieved by ibuprofen, small lucency. CT?"),
    ("soft tissue foreign body", "Stepped on a piece of glass on the beach, sore red spot on the heel. Imaging?"),
    ("fertility preservation", "Starting chemotherapy for lymphoma at 19, wants to protect his fertility. Options?"),
    ("acute mesenteric ischaemia", "CT angiogram: filling defect in the superior mesenteric artery. First drug?"),
    ("retinal vein occlusion", "Sudden painless blurring in the left eye, flame haemorrhages in one quadrant. Drug?"),
    ("stroke", "Found an hour ago struggling to find words, facial droop and arm drift. Which scan?"),
    ("Fabry disease", "Young man with burning pain in hands and feet, corneal whorls on slit lamp. Which test?"),
    ("distal radius fracture", "Fell onto an outstretched hand, tender over the distal radius, x-ray normal."),
    ("menopause", "Takes conjugated estrogens with medroxyprogesterone at 66 for her bones. Continue?"),
    ("lung cancer screening", "70F, 40 pack-yrs, stopped 5 years ago. Low-dose chest CT every year?"),
    (
        "colorectal cancer screening",
        "Average risk, faecal immunochemical test negative. When should the stool test be repeated?",
    ),
    ("cardiac arrest", "Toddler on the ward goes asystolic; chest compressions started. Parents present?"),
    ("speech and language delay", "Two-year-old says only about 8 words and doesn't put two words together. Refer?"),
    ("breastfeeding", "32 weeks pregnant, plans to use formula because her mum never made enough milk. Advice?"),
    ("obesity", "10-year-old, BMI above the 98th percentile. How long a lifestyle programme?"),
    ("occupational exposure to hazardous drugs", "Pharmacist who reconstitutes cytotoxic drugs is pregnant. Safe?"),
    (
        "chronic multisymptom illness",
        "Deployed to the Persian Gulf in 1991, years of fatigue and joint pain. Antibiotics?",
    ),
    (
        "tarsal coalition",
        "12-year-old, arch stays flat on tiptoe, peroneal spasm, repeated 'ankle sprains'. CT or MRI?",
    ),
    ("unruptured intracranial aneurysm", "ADPKD; two of her sisters had subarachnoid haemorrhages. Screen her brain?"),
    ("child passenger safety", "Her 7-year-old still uses a high-back booster; can he sit in the front?"),
    (
        "soft tissue sarcoma",
        "Painless lump in the thigh for 2 months, about 4 cm, subcutaneous and mobile. Ultrasound?",
    ),
    ("uterine fibroids", "A 3 cm intramural lesion on scan, cavity normal, periods regular. Remove it?"),
    ("hypothyroidism", "Well woman of 70 asks for a TSH 'just to be safe'. Screen?"),
    ("chronic pain", "On long-term opioid therapy, pain score 8 to 6, still off work. Continue?"),
    # Stop 27, from the misses of the seventeenth and eighteenth unseen sets (each in its own words here).
    (
        "positional plagiocephaly",
        "5-month-old girl, the back of her head has gone flat on one side and that ear sits forward. Helmet?",
    ),
    (
        "positional plagiocephaly",
        "Baby of 6 months with a flattened occiput despite tummy time and repositioning. What next?",
    ),
    (
        "vestibular schwannoma",
        "61M, right-sided hearing loss for a year; MRI: 6 mm enhancing lesion in the right IAC. Rescan when?",
    ),
    ("oral mucositis", "Myeloma patient having high-dose melphalan; how can we prevent the mouth sores?"),
    (
        "urinary incontinence",
        "70F with urge leakage and nocturia twice; tolterodine gave no benefit. Which tablet next?",
    ),
    ("postnatal depression", "Mother at her 6-week postnatal check; the health visitor wants an EPDS. Needed?"),
    (
        "pressure ulcers",
        "Preterm infant on nasal CPAP with redness over the columella. How often should the skin be checked?",
    ),
    (
        "carotid artery stenosis",
        "Well 70-year-old, no TIA or stroke, wants a duplex scan of his neck arteries. Should he be screened?",
    ),
    ("cervical spine injury", "80M fell forward onto his face; his hands are much weaker than his legs. MAP target?"),
    ("cervical spine injury", "Ventilated on ICU after a car crash; CT normal. When can we take the collar off?"),
    ("cervical spine injury", "5-year-old fell off a slide, GCS 15. Mum wants a neck x-ray. Is imaging needed?"),
    ("bronchiectasis", "Non-CF patient with dilated airways and tram-track signs on HRCT, purulent sputum. Dornase?"),
    ("dental caries", "2-year-old with white chalky spots along the gum line of her top teeth, juice in a bottle."),
    (
        "renal cell carcinoma",
        "Solid enhancing lesion in the lower pole of the left kidney on ultrasound, 4 cm. Which staging scan?",
    ),
    (
        "abnormal uterine bleeding associated with ovulatory dysfunction",
        "14-year-old, menarche at 12, cycles every 5-12 weeks with heavy bleeding, Hb 98. First-line?",
    ),
    ("acute coronary syndrome", "ST elevation in V1 to V4, going for primary PCI, on aspirin. Which P2Y12 dose?"),
    ("bradycardia", "82M with dizzy spells; Holter shows sinus pauses of 5 seconds. Which pacemaker?"),
    ("falls in older people", "88F fell twice this winter at home, mild arthritis. Who should do the home visit?"),
    ("obesity", "BMI 41, wants to lose weight before a hip replacement; is a low-calorie diet safe?"),
    ("pulmonary nodule", "CT for kidney stones shows a 6 mm nodule in the left lower lobe. Follow-up CT?"),
    ("smoking cessation", "58M, 30 cigs a day, anxious; which cessation medication suits him best?"),
    ("operating room fire", "Laser to the vocal cords under GA with an ETT in place: how to lower the ignition risk?"),
    ("major trauma", "Motorcyclist with multiple injuries, GCS 7, 60 minutes from the trauma centre. Where to?"),
    # ... and of the nineteenth and twentieth.
    ("acute kidney injury", "On ICU, creat up from 85 to 310 over two days and oliguric. Gadolinium for the MRI?"),
    (
        "elder abuse",
        "Frail 85F with unexplained bruises; her grandson, who controls her pension, won't leave the room.",
    ),
    (
        "fertility preservation",
        "Lymphoma in a 15-year-old before chemo: how can we protect her chance of having children?",
    ),
    ("obstructive sleep apnoea", "Collar size 18, BMI 33, no symptoms. Screen with STOP-Bang or a home sleep test?"),
    (
        "supracondylar humerus fracture",
        "Toddler with a displaced fracture of the distal humeral metaphysis. What else?",
    ),
    ("melanoma", "Ulcerated pigmented primary on the calf, 2.1 mm, sentinel node positive. Adjuvant therapy?"),
    ("lung cancer", "Ex-smoker, 2 cm peripheral RUL nodule; biopsy shows adenocarcinoma. Unfit for surgery: what now?"),
    ("asthma", "On a steroid inhaler, using salbutamol most days, PEF 80% of best. Is she controlled?"),
    # ... and of the twenty-first and twenty-second.
    (
        "graft-versus-host disease",
        "Day +40 after an allogeneic BMT: maculopapular rash on 50% BSA and 1.5 L/day of watery stool.",
    ),
    ("diabetic retinopathy", "T2DM, centre-involving macular thickening despite anti-VEGF injections. Switch to?"),
    ("cancer pain", "Metastatic bowel ca with a severe pain flare despite oral morphine. Which route next?"),
    ("malnutrition", "80F lost 8% of her body weight in 2 months and is eating half her meals. Refer to whom?"),
    ("smoking cessation", "15-year-old admits he has smoked cigarettes with friends a few times. What should I offer?"),
    ("obesity", "7-year-old, BMI on the 93rd centile; how much screen time should the family allow?"),
    ("metastatic lung cancer", "Stage IV lung adenocarcinoma, EGFR negative, on a platinum doublet. How many cycles?"),
    ("neck pain", "Neck ache for months, now tingling into the thumb and a reduced biceps jerk. Next imaging?"),
    ("pneumonia", "89M in a care home with a productive cough, T 38.4 C and RR 26. Chest x-ray needed?"),
    # Stop 28, from the misses of the 23rd and 24th unseen sets (each in its own words here).
    (
        "deep vein thrombosis",
        "60F, swollen tender left calf; ultrasound: non-compressible femoral and popliteal veins. Which drug?",
    ),
    ("fibromyalgia", "39F, aching all over above and below the waist for years, unrefreshing sleep. What helps?"),
    (
        "tension-type headache",
        "Office worker with near-daily vice-like pressing headaches on both sides. Non-drug option?",
    ),
    ("osteoarthritis", "70M, groin ache when walking; X-ray shows loss of joint space in the right hip. Next step?"),
    (
        "acute knee injury",
        "16M footballer, non-contact twist, immediate swelling, positive Lachman. When to reconstruct?",
    ),
    ("shoulder dislocation", "19F volleyball player: her shoulder popped out and the physio put it back in. Imaging?"),
    (
        "thoracic outlet syndrome",
        "22M baseball pitcher, tingling into the 4th-5th fingers, positive Roos test. Which imaging?",
    ),
    ("ICU-acquired weakness", "Day 15 in ICU after sepsis, symmetric flaccid weakness, failed SBTs. Nerve studies?"),
    ("renal cell carcinoma", "Incidental 2 cm enhancing lesion at the lower pole of the R kidney on CT. Follow-up?"),
    ("cancer pain", "Locally advanced pancreatic adenoCA, pain still 8/10 despite oxycodone. Which procedure?"),
    ("oesophageal cancer", "78M, progressive dysphagia, 8 kg wt loss, OGD: mass in the lower oesophagus. Palliation?"),
    ("non-spine bone metastases", "Prostate ca, new lytic lesion in the femur. Is a single fraction of RT enough?"),
    ("ovarian cancer", "61F, bloated nearly every day for 2 months, urinary frequency. What should I order?"),
    ("aortic dissection", "Tearing back pain, BP right arm 190/100, left arm 150/85. Imaging?"),
    (
        "metastatic spinal cord compression",
        "Breast ca, legs 2/5 and a sensory level at T8; MRI: epidural mets. Steroids?",
    ),
    # Stop 29: patients describing themselves or a relative (the tables' "his|her" cues read "my" too).
    ("heart failure", "my feet and ankles swell and I get breathless unless I sleep propped up on four pillows"),
    ("febrile seizure", "our 2 year old son had a fit when his temp went up this afternoon, is that serious?"),
    ("gastroenteritis", "my 4 year old keeps throwing up and has diarrhoea since lunch, what should she drink?"),
    (
        "gastro-oesophageal reflux disease",
        "I get a burning feeling behind my breastbone after dinner, what can I change?",
    ),
    (
        "lower urinary tract symptoms in men",
        "I'm a 70 year old man, up four times a night to pee and my stream is weak",
    ),
    ("urinary incontinence", "I leak a little urine when I cough or jump on the trampoline, will exercises help?"),
    ("delirium", "nan is in hospital with an infection and is all of a sudden confused, will it pass?"),
    (
        "polymyalgia rheumatica",
        "I'm 74, my shoulders and hips are really stiff every morning and I can barely lift my arms",
    ),
    ("carpal tunnel syndrome", "my thumb and first two fingers go numb and tingly at night, what helps?"),
    ("iron deficiency anaemia", "I keep craving ice, and I'm pale and tired all the time, what could it be?"),
    (
        "transient ischaemic attack",
        "my mum's arm went weak and her face drooped for 10 minutes, now she's back to normal",
    ),
    ("Bell's palsy", "one side of my face won't move and I can't close my eye since yesterday, what now?"),
    # ...and name their problem in everyday words.
    ("deep vein thrombosis", "they found a blood clot in my leg on the scan, how long are the injections for?"),
    ("urinary tract infection", "third water infection this year, should I take cranberry?"),
    ("low back pain", "my bad back is worse after gardening, is heat or ice better?"),
    ("testicular cancer", "can a young man check himself for testicle cancer at home?"),
    ("sterilisation", "is the snip reversible if we change our minds later?"),
    ("cirrhosis", "the scan showed scarring of the liver from drinking, can it get better if he stops?"),
]


# Neighbouring presentations: each must not be read as the problem its patterns sit next to.
NOT: list[tuple[str, str]] = [
    ("cervical spine injury", "Neck ache, arm tingling; C-spine films show C5-6 spondylosis, no trauma. MRI?"),
    ("alcohol use disorder", "Audit in our practice: many patients above target despite three agents. What helps?"),
    ("obstetric anaesthesia", "Lumbar interlaminar epidural for spinal stenosis next week; when to stop clopidogrel?"),
    (
        "occupational radiation exposure",
        "Warehouse worker booked for a fluoroscopic transforaminal injection; her period is late. Go ahead?",
    ),
    # Stop 27.
    ("cystic fibrosis", "Non-CF bronchiectasis with tram-track signs on HRCT and daily sputum. Azithromycin?"),
    ("emergency contraception", "Regular unprotected sex for 14 months without conceiving. Which tests first?"),
    ("positional plagiocephaly", "Toddler with flat feet on both sides. Insoles?"),
    ("oral mucositis", "Recurrent mouth ulcers and genital ulcers in a 30-year-old. Behcet's?"),
    ("obesity", "Losing weight without trying, night sweats and a cough. CT chest?"),
    ("pressure ulcers", "Red, itchy rash on both cheeks and the bridge of the nose after sun exposure."),
    # Stop 24's widened presentations, and their neighbours.
    ("rib fractures", "25M, tender over the left chest wall near the sternum, no injury, ECG normal. Costochondritis?"),
    ("hydrocephalus", "Ex-30 weeker with a grade I IVH, ventricles normal size on the repeat scan. Follow-up?"),
    ("antepartum haemorrhage", "8 weeks pregnant with bright red PV loss and cramping. Scan?"),
    ("cervical insufficiency", "Her first baby came at 39 weeks; now 12 weeks pregnant and well. Booking bloods?"),
    ("impaired visual acuity", "4-year-old at nursery: should she have a Snellen test?"),
    ("cystic fibrosis", "Child with asthma and a normal sweat chloride of 20 mmol/L, chronic cough. Next?"),
    ("HIV infection", "Woman with a retroverted uterus and deep pelvic pain. Scan?"),
    ("genital herpes", "Oral cold sores twice a year in a 30-year-old. Valaciclovir?"),
    ("immune thrombocytopenia", "Man after a splenectomy for trauma, platelets normal. Which vaccines?"),
    ("obsessive-compulsive disorder", "Low mood for 3 weeks, sleeping 12 hours a day of late. Antidepressant?"),
    ("pressure ulcers", "Stage 2 breast cancer, no nodes involved. Radiotherapy?"),
    ("irritable bowel syndrome", "Functional decline in an 85-year-old after a fall. Rehabilitation?"),
    ("endometrial cancer", "46-year-old with bleeding two months after her last period. Is this the menopause?"),
    ("stable angina", "Crushing chest pain at rest for 40 minutes with sweating and ST depression. Which drugs?"),
    ("deep vein thrombosis", "Hot swollen knee with fever two weeks after knee arthroscopy. Aspirate?"),
    ("constipation", "Toddler with six loose stools a day for three days after a nursery outbreak. Fluids?"),
    (
        "axial spondyloarthritis",
        "55-year-old builder, back pain after lifting, worse at the end of the day and better with rest.",
    ),
    ("vulval skin conditions", "Itchy white curd-like vaginal discharge after a course of antibiotics. Treatment?"),
    ("Paget's disease of bone", "Painless jaundice with ALP 600, raised GGT and bilirubin, weight loss. Next test?"),
    ("insomnia", "Man of 70 wakes at night three times to pass urine, weak stream. What next?"),
    ("endometriosis", "Heavy periods with flooding and clots, Hb 98. Which treatment?"),
    (
        "chronic obstructive pulmonary disease",
        "19-year-old asthmatic, never smoked, FEV1 45% predicted in clinic, sats 91%. Step up?",
    ),
    ("bronchiolitis", "Newborn 20 minutes after birth at 30 weeks, grunting with subcostal recession. Surfactant?"),
    ("irritable bowel syndrome", "Bloody diarrhoea eight times a day with fever and a raised CRP. Admit?"),
    ("tic disorders", "Child with sniffing and sneezing every spring and itchy eyes. Which antihistamine?"),
    ("muscle cramps", "An urge to move the legs in the evening, relieved by walking about. Ferritin?"),
    ("interstitial cystitis", "Burning on passing urine for two days with frequency. Which antibiotic?"),
    ("head and neck cancer", "Tender lump in the neck with a sore throat in a 6-year-old. Antibiotics?"),
    ("febrile neutropenia", "Healthy 30-year-old, day 3 of a cold, temp 38.5 at home. Anything needed?"),
    ("child maltreatment", "2-year-old walking since 11 months with bruises on both shins from play. Any tests?"),
    ("congenital muscular torticollis", "Teenager woke with a painful stiff neck, head turned to the left. Treatment?"),
    ("stress fracture", "67-year-old with hip pain on weight bearing and short morning stiffness. X-ray?"),
    ("varicose veins", "Swollen tender calf after a long-haul flight. D-dimer?"),
    ("infertility", "Unprotected sex last night and she missed two pills. Emergency contraception?"),
    (
        "optic neuritis",
        "78-year-old with sudden painless loss of vision in one eye and jaw claudication. Steroids now?",
    ),
    ("Charcot foot", "Red hot swollen big toe joint overnight in a man on a diuretic. Colchicine?"),
    ("sickle cell disease", "Man with haemophilia A, factor VIII level 2%, before a dental extraction."),
    ("polypharmacy", "Man of 45 with Barrett's oesophagus has taken omeprazole for 3 years. Continue?"),
    ("urinary incontinence", "30F with a tunnelled central venous catheter for chemo and a fever. Remove the line?"),
    # Stop 25's, and their neighbours.
    ("HIV infection", "CD34 count before a stem cell harvest in a man with myeloma. Enough?"),
    ("bradycardia", "Has a pacemaker that is not MRI-safe; knee pain for months. Which imaging?"),
    ("hospital-acquired pneumonia", "Day 5 in ICU after a laparotomy, febrile, wound red. Antibiotic?"),
    ("transient ischaemic attack", "Never any TIA or stroke symptoms, 60% carotid narrowing on duplex. Statin?"),
    ("diagnostic flexible bronchoscopy", "Bronchoscopy last year was normal; now a dry cough. Inhaler?"),
    ("hormone receptor-positive breast cancer", "Tamoxifen for gynaecomastia in a man on bicalutamide. How long?"),
    ("rheumatoid arthritis", "Sats 93% RA, new consolidation on the film, CURB-65 of 2. Antibiotic?"),
    ("rheumatoid arthritis", "Line tip seen in the RA on echo after insertion. Chest film needed?"),
    ("Hodgkin lymphoma", "Non-Hodgkin lymphoma in a man of 70 on R-CHOP. Growth factor?"),
    ("controlled drugs", "Amoxicillin for 5 days' supply for otitis media in a child. Dose?"),
    ("congenital heart block", "Sjogren's with dry eyes in a 60-year-old woman. Which drops?"),
    # "Clots" are a period's only when passed or flooding with it.
    ("heavy menstrual bleeding", "Boy of 12 with femoral fractures, day 4. Routine leg scans to pick up clots early?"),
    # Stop 26's neighbours.
    ("leukaemia", "Iron deficiency anaemia, Hb 95 g/L, ferritin 6, gums bleed when brushing. Iron dose?"),
    ("infertility", "34F, 20/40 IVF pregnancy, low-lying placenta on the anomaly scan. Rescan when?"),
    ("obesity", "Gastric cancer: total gastrectomy planned. Nutrition after surgery?"),
    ("gastric cancer", "BMI 41, sleeve gastrectomy a year ago, now reflux. PPI?"),
    ("cervical spine injury", "T10 spinal cord injury, pressure ulcer on the sacrum. Dressing?"),
    ("renovascular hypertension", "BP 150/95 on amlodipine, creatinine stable. Add which drug?"),
    ("soft tissue foreign body", "Wooden splint for a sprained finger, how long?"),
    ("adnexal torsion", "Right-sided pain in the iliac fossa, fever, raised WCC in a 19-year-old man. Scan?"),
    ("osteoid osteoma", "Night cramps in the calves relieved by stretching in a 70-year-old. Quinine?"),
    ("fertility preservation", "Trying to conceive for two years, semen analysis normal. Next test?"),
    ("lung cancer screening", "58M, 35 pack-yr ex-smoker, no symptoms, wants screening spirometry. Do it?"),
    ("colorectal cancer screening", "50F, average risk, asymptomatic. When should her next mammogram be?"),
    ("cardiac arrest", "Anaphylaxis after a wasp sting, adrenaline given IM. Repeat when?"),
    ("breastfeeding", "Infant formula for a 3-month-old with reflux: thickened?"),
    ("tarsal coalition", "Inversion ankle sprain playing football yesterday, swollen lateral ankle. X-ray?"),
    ("soft tissue sarcoma", "Tender red lump in the armpit with fever for 3 days. Antibiotic?"),
    ("uterine fibroids", "A 6-week intrauterine pregnancy with light bleeding. Scan?"),
    # Stop 28: the coeliac axis is anatomy, an epidural metastasis no labour epidural.
    ("coeliac disease", "Pancreatic cancer encasing the coeliac axis, pain despite morphine. Nerve block?"),
    ("obstetric anaesthesia", "Metastatic lung cancer; MRI shows epidural mets at T6 and back pain. Radiotherapy?"),
    ("deep vein thrombosis", "Swollen painful knee after a twist at football, no calf signs. X-ray?"),
    # Stop 29: a patient's own words near the widened patient-voice cues.
    ("iron deficiency anaemia", "I crunch ice cubes in my drinks, is that bad for my teeth?"),
    ("heart failure", "my ankles swell after a long flight, is that normal?"),
    ("transient ischaemic attack", "my arm went numb after sleeping on it, now it's fine"),
    ("viral hepatitis", "Autoimmune hepatitis on azathioprine. How long will I be on it?"),
]


@pytest.mark.parametrize(("expected", "question"), FIRST)
def test_the_presentation_is_read_as_the_problem_first(expected: str, question: str) -> None:
    names = read_names(question)
    assert names, f"nothing read from: {question}"
    assert names[0] == expected, f"{question!r} read as {names}"


@pytest.mark.parametrize(("widened", "question"), NOT)
def test_a_neighbouring_presentation_is_not_read_as_the_widened_problem(widened: str, question: str) -> None:
    names = read_names(question)
    assert widened not in names, f"{question!r} read as {names}"


def test_there_are_enough_near_misses() -> None:
    assert len(NOT) >= 12
