"""Small invented news stories for the story tests (never real articles).

- a flood in the invented town of Marrowby, covered by two outlets over three days, the death
  toll changing from 12 to 31 (plus a later follow-up and an undated explainer);
- two different events that share a person's name, Tomas Ferrow: a chess title and a fraud
  arrest of a namesake banker, in the same week;
- an earthquake in the invented province of Veldra whose toll a later report restates in other words
  ("700 people were killed" -> "the death toll has risen to 1,400"), beside a toll of another place and
  one of an earlier quake (neither an update), and a third report whose toll agrees with the latest one
  but whose count of the injured changes an older one;
- a border war between the invented Ardan and Morrow whose two tolls run side by side (each revised, neither
  a revision of the other), with a sentence repeated word for word and page furniture around the news;
- unrelated filler.
"""
from pathlib import Path


def _doc(title, date, source, body):
    head = f"---\ntitle: {title}\n" + (f"date: {date}\n" if date else "") + f"source: {source}\n---\n"
    paragraphs = [" ".join(p.split()) for p in body.strip().split("\n\n")]  # one line a paragraph, as in news
    return head + "\n\n".join(paragraphs) + "\n"


FLOOD = {
    "flood-1.md": _doc("Floods sweep through Marrowby after river bursts its banks", "2024-03-04", "Valley Post", """
Floodwater swept through the town of Marrowby on Monday after the river Tarn burst its banks following three
days of torrential rain. The death toll from the floods stood at 12 on Monday night and dozens more are
missing, the regional fire service said.

Rescue teams in boats pulled residents from rooftops in the lower town. The mayor of Marrowby, Elena Voss, said
the old stone bridge had collapsed and the main road to the hospital was cut off.

About 2,000 residents spent the night in the sports hall, where volunteers handed out blankets and hot meals.
"""),
    "flood-2.md": _doc("Marrowby flood death toll rises as search for missing continues", "2024-03-05",
                       "Northern Ledger", """
The death toll from the Marrowby floods rose to 31 on Tuesday as rescue teams searched flooded houses along the
river Tarn, the regional fire service said.

Floodwater swept through the town of Marrowby on Monday after the river burst its banks following three days of
torrential rain. Rescue teams in boats pulled residents from rooftops in the lower town.

The national government promised emergency funds for Marrowby and sent army engineers to build a temporary
bridge to reach the hospital.
"""),
    "flood-3.md": _doc("Marrowby begins clean-up as floodwater recedes", "2024-03-06", "Valley Post", """
Floodwater began to recede from the streets of Marrowby on Wednesday, and residents returned to homes
covered in mud after the river Tarn flooded the town.

The death toll from the Marrowby floods rose to 31 on Tuesday, the regional fire service said, and four people
are still missing.

Army engineers finished a temporary bridge to the hospital, and insurers said claims could exceed 40 million
euros. The mayor, Elena Voss, asked for an inquiry into why the flood barriers failed.
"""),
}

QUESTION = "How many people died in the Marrowby floods?"   # what the flood's tests ask

FLOOD_LATER = {
    "flood-4.md": _doc("Inquiry ordered into failed Marrowby flood barriers", "2024-03-12", "Northern Ledger", """
The regional government ordered an inquiry on Tuesday into why the flood barriers of Marrowby failed when the
river Tarn burst its banks last week, killing 31 people.

Engineers said the barriers along the river had not been inspected since 2019. The mayor of Marrowby, Elena
Voss, welcomed the inquiry and said residents deserved answers about the floods.

Many families are still living in the sports hall while their flooded homes dry out.
"""),
}

FLOOD_UNDATED = {
    "flood-explainer.md": _doc("Why the river Tarn floods Marrowby", None, "Valley Post", """
The river Tarn has flooded the town of Marrowby several times, and this week's floods were the deadliest in
living memory.

Floodwater rises quickly in the lower town because the river narrows at the old stone bridge. The flood
barriers along the river were built after an earlier flood and were meant to protect the lower town.
"""),
}

NAMESAKES = {
    "chess-ferrow.md": _doc("Tomas Ferrow wins the national chess championship", "2024-03-05", "Board Games Weekly", """
Tomas Ferrow, 19, won the national chess championship in Lindholm on Tuesday after a tense final round against
the defending champion.

Ferrow sacrificed a rook on move 31 and forced checkmate eight moves later. He takes home the trophy and a place
at next year's world championship qualifier.

His coach said Ferrow had studied the endgame for months and had barely slept before the final.
"""),
    "fraud-ferrow.md": _doc("Banker Tomas Ferrow arrested over pension fraud", "2024-03-06", "Northern Ledger", """
Police arrested the banker Tomas Ferrow on Wednesday on suspicion of stealing money from a pension fund he
managed for retired teachers.

Prosecutors say Ferrow moved 14 million euros from the fund into shell companies over five years. His lawyer
said he denies wrongdoing and will cooperate with the investigation.

The pension fund has frozen withdrawals while auditors examine its accounts.
"""),
}

FILLER = {
    "bakery.md": _doc("Village bakery wins national bread award", "2024-03-05", "Valley Post", """
A family bakery in the village of Hollin won the national bread award on Tuesday for its sourdough rye, beating
more than 300 bakeries from across the country.

The owners said they still bake every loaf by hand in a wood-fired oven built by their grandfather.
"""),
}


QUAKE = {
    "quake-1.md": _doc("Powerful earthquake strikes Veldra province", "2024-05-02", "Coast Courier", """
A powerful earthquake struck the mountain province of Veldra early on Thursday, flattening villages along the
Sarn valley. More than 900 people were injured in Veldra, hospitals in the provincial capital, Ostrel, said.
At least 700 people were killed in the Veldra earthquake, the interior ministry said, and rescuers were still
digging through rubble in Ostrel.

The quake, of magnitude 7.1, was felt across the region. Roads into the valley were blocked by landslides.
"""),
    "quake-2.md": _doc("Veldra earthquake death toll rises as rescuers reach cut-off villages", "2024-05-03",
                       "Daily Meridian", """
The death toll from the Veldra earthquake has risen to 1,400, the interior ministry said on Friday, as rescuers
reached villages in the Sarn valley that landslides had cut off.

In the neighbouring province of Kessin, 3 people died when a school wall collapsed during the quake.

The 1987 earthquake in Veldra killed 2,000 people, and many houses in the valley were never rebuilt.
"""),
    "quake-3.md": _doc("Veldra counts the cost of its earthquake", "2024-05-04", "Coast Courier", """
The Veldra earthquake killed 1,400 people and injured 3,500, the interior ministry said on Saturday, as the
first aid convoys reached the Sarn valley.
"""),
}


# Two days of an invented truce: each day's release is its own batch, no revision of the day before.
TRUCE = {
    "truce-1.md": _doc("Ardan rebels free 14 captives in first exchange of Morrow truce", "2024-06-01",
                       "Coast Courier", """
Ardan rebels released 14 hostages on Saturday in exchange for 42 prisoners held by the Morrow government, on
the first day of a truce brokered in the port city of Selk, mediators said.

The released hostages were taken to a hospital in Selk, where doctors said they were in fair condition.
"""),
    "truce-2.md": _doc("Second exchange of Morrow truce frees more captives", "2024-06-02", "Coast Courier", """
Ardan rebels released 11 hostages on Sunday in exchange for 33 prisoners held by the Morrow government, on the
second day of the truce brokered in the port city of Selk, mediators said.

The released hostages were taken to a hospital in Selk, where doctors said they were in good condition.
"""),
}


# Two sides' tolls in one story: each is revised on day two; one side's is never the other's revised.
WAR = {
    "war-1.md": _doc("Fighting spreads along the Selk border", "2024-07-01", "Coast Courier", """
Fighting between Ardan and Morrow forces spread along the Selk border on Monday. At least 300 Ardanese have been
killed in the Selk border war since it began, the Ardan health ministry said.

Editor's note: This story was updated with the latest figures from both governments.

The Morrow government said 40 Morrowans were killed in the Selk border war, most in a rocket strike on Pell.
"""),
    "war-2.md": _doc("Selk border war tolls rise on both sides", "2024-07-02", "Daily Meridian", """
The Ardanese death toll in the Selk border war rose to 450 on Tuesday, the Ardan health ministry said.

The Morrowan death toll in the Selk border war rose to 60, the Morrow army said on Tuesday.

The Morrow government said 40 Morrowans were killed in the Selk border war, most in a rocket strike on Pell.

Sign up for our daily newsletter on the war along the Selk border.
"""),
}


# A toll revised by another source: who said it is no subject of the sentence.
FIRE = {
    "fire-1.md": _doc("Wildfire tears through Kessin", "2024-08-09", "Coast Courier", """
A wildfire tore through the coastal town of Kessin on Wednesday, destroying hundreds of homes along the harbour.

At least 34 people have died in the wildfire, Dorran County officials said on Thursday.

Residents fled into the sea as flames swept down the hillside.
"""),
    "fire-2.md": _doc("Kessin wildfire death toll climbs", "2024-08-11", "Daily Meridian", """
Crews searched burned-out neighbourhoods of Kessin on Saturday as the wildfire smouldered.

At least 55 people have died in the wildfire, Governor Alma Reyes said on Saturday.

Search teams with dogs combed the ruins of the harbour district.
"""),
}


def write_stories(folder: Path, *parts: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for part in parts:
        for name, text in part.items():
            (folder / name).write_text(text, encoding="utf-8")
    return folder
