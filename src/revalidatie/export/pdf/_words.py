"""Every fixed text of the handout, in Dutch and English."""

from __future__ import annotations

# (Dutch, English); keys name the place a text is used.
WORDS: dict[str, tuple[str, str]] = {
    "doc-title": ("Jouw revalidatieprogramma", "Your rehabilitation programme"),
    "for": ("voor", "for"),
    "condition": ("Klacht", "Condition"),
    "side": ("Kant", "Side"),
    "start": ("Start", "Start"),
    "end": ("Verwachte einddatum", "Expected end"),
    "length": ("Duur", "Length"),
    "weeks": ("{n} weken", "{n} weeks"),
    "goal": ("Jouw doel", "Your goal"),
    "goal-run": ("{n} minuten aan één stuk rustig hardlopen", "{n} minutes of easy running without a break"),
    "protocol": ("Programma", "Programme"),
    "clinician": ("Fysiotherapeut", "Physiotherapist"),
    "practice": ("Praktijk", "Practice"),
    "phone": ("Telefoon", "Phone"),
    "email": ("E-mail", "E-mail"),
    "contact": ("Vragen of twijfels? Neem contact op", "Questions or doubts? Get in touch"),
    "notes": ("Notities van je fysiotherapeut", "Notes from your physiotherapist"),
    "what-is-it": ("Wat is het?", "What is it?"),
    "advice": ("In het dagelijks leven", "In daily life"),
    "confirmed-by": ("Diagnose bevestigd door {who}.", "Diagnosis confirmed by {who}."),
    "left": ("links", "left"),
    "right": ("rechts", "right"),
    "both": ("beide kanten", "both sides"),
    "revision": ("Versie {n} van het plan, bijgewerkt op {date}.", "Version {n} of the plan, updated on {date}."),
    "cover-intro": (
        "In dit boekje staat alles wat je nodig hebt om thuis je programma te volgen: hoe je op je pijn let, "
        "wat je per week doet, hoe je elke oefening uitvoert en een dagboek om in te vullen. Neem het mee "
        "naar je afspraken.",
        "This booklet holds everything you need to follow your programme at home: how to listen to your "
        "pain, what to do each week, how to do every exercise, and a diary to fill in. Bring it to your "
        "appointments.",
    ),
    # How to use
    "how-title": ("Zo gebruik je dit programma", "How to use this programme"),
    "how-intro": (
        "Pijn tijdens het trainen mag, zolang het binnen de grenzen blijft. Geef na elke training je pijn een "
        "cijfer van 0 (geen pijn) tot 10 (de ergste pijn die je je kunt voorstellen), en doe dat de volgende "
        "ochtend nog een keer. Het stoplicht hieronder vertelt wat je daarna doet.",
        "Some pain while training is allowed, as long as it stays within limits. After each session, score "
        "your pain from 0 (no pain) to 10 (the worst pain you can imagine), and score it again the next "
        "morning. The traffic light below tells you what to do next.",
    ),
    "zone-green": ("Groen: 0 tot 2", "Green: 0 to 2"),
    "zone-green-text": (
        "Ga door. Volg het schema zoals gepland; je mag de volgende stap zetten.",
        "Go on. Follow the plan as written; you may take the next step.",
    ),
    "zone-amber": ("Oranje: 3 tot 5", "Amber: 3 to 5"),
    "zone-amber-text": (
        "Houd vast. Herhaal dezelfde stap en dezelfde dosering tot de pijn weer in het groen zit. Bouw nog "
        "niet verder op.",
        "Hold. Repeat the same step and dose until the pain is back in the green. Do not build up yet.",
    ),
    "zone-red": ("Rood: meer dan 5", "Red: above 5"),
    "zone-red-text": (
        "Doe een stap terug. Stop de training, rust een dag en ga daarna terug naar de vorige stap of een "
        "lichtere dosering.",
        "Step back. Stop the session, rest a day, then go back to the previous step or a lighter dose.",
    ),
    "morning-title": ("De ochtend erna telt het zwaarst", "The next morning counts most"),
    "morning-text": (
        "Hoe je heup zich de ochtend na een training voelt, zegt meer dan de pijn tijdens de training. Pijn "
        "en stijfheid moeten de volgende ochtend terug zijn op je gewone niveau. Is dat niet zo, behandel de "
        "volgende training dan als oranje. Let ook op de weken: pijn of stijfheid mag niet van week tot week "
        "toenemen.",
        "How your hip feels the morning after a session tells you more than the pain during it. Pain and "
        "stiffness should be back to your usual level the next morning. If they are not, treat the next "
        "session as amber. Watch the weeks too: pain or stiffness must not grow from week to week.",
    ),
    "bad-day-title": ("Een slechte dag?", "A bad day?"),
    "bad-day": (
        "Sla de training niet zomaar over: doe de oefeningen lichter (minder herhalingen, een lichter "
        "elastiek) of wandel in plaats van hard te lopen.|"
        "Training gemist? Haal hem niet in, maar ga verder met de volgende training uit het schema.|"
        "Twee slechte dagen achter elkaar, of pijn die week na week toeneemt: bel je fysiotherapeut. Je "
        "programma kan dan worden aangepast.|"
        "Slecht geslapen, ziek of veel stress? Dan mag de training korter of lichter. Koorts: niet trainen.",
        "Do not simply skip the session: make the exercises lighter (fewer reps, a lighter band) or walk "
        "instead of running.|"
        "Missed a session? Do not make it up; carry on with the next session in the plan.|"
        "Two bad days in a row, or pain that grows week after week: call your physiotherapist. Your "
        "programme can then be adjusted.|"
        "Slept badly, ill or under a lot of stress? Then the session may be shorter or lighter. With a "
        "fever: do not train.",
    ),
    "stop-title": ("Stop en bel", "Stop and call"),
    "stop-intro": (
        "Stop met het programma en neem contact op als een van deze dingen gebeurt. Wacht niet tot je "
        "volgende afspraak.",
        "Stop the programme and get in touch if any of these happens. Do not wait for your next appointment.",
    ),
    "emergency": ("Vandaag nog: huisarts, huisartsenpost of spoedeisende hulp", "Today: GP, out-of-hours or A&E"),
    "urgent": ("Binnen een paar dagen: huisarts of fysiotherapeut", "Within a few days: GP or physiotherapist"),
    "call": ("Bel {who}", "Call {who}"),
    # Overview
    "overview-title": ("Overzicht", "Overview"),
    "phase": ("Fase", "Phase"),
    "dates": ("Periode", "Dates"),
    "phase-goal": ("Doel van deze fase", "Goal of this phase"),
    "week-range": ("week {a} tot {b}", "weeks {a} to {b}"),
    "week-one": ("week {a}", "week {a}"),
    "tests-entry": ("Test vooraf", "Test before"),
    "tests-exit": ("Test om af te ronden", "Test to finish"),
    "test-default": ("zonder pijn en zonder mank te lopen", "without pain and without limping"),
    "chart-title": ("Belasting per week", "Load per week"),
    "chart-intro": (
        "Hardloopminuten en krachtvolume (aantal sets) per week. In de paarse weken doe je bewust ongeveer "
        "een kwart minder: dat geeft je lichaam tijd om sterker te worden.",
        "Running minutes and strength volume (number of sets) per week. In the purple weeks you do about a "
        "quarter less on purpose: that gives your body time to adapt and grow stronger.",
    ),
    "chart-run": ("Hardloopminuten", "Running minutes"),
    "chart-sets": ("Krachtsets", "Strength sets"),
    "chart-deload": ("Lichtere week", "Lighter week"),
    "chart-week": ("week", "week"),
    # Weeks
    "weeks-title": ("Week voor week", "Week by week"),
    "weeks-intro": (
        "Elke tabel is één week. Doe de trainingen op de dagen die erin staan; schuif gerust een dag op als "
        "het niet uitkomt, maar houd een rustdag tussen twee looptrainingen.",
        "Each table is one week. Train on the days listed; moving a session by a day is fine, but keep a "
        "rest day between two runs.",
    ),
    "week-heading": ("Week {n}", "Week {n}"),
    "deload-week": ("lichtere week", "lighter week"),
    "col-date": ("Datum", "Date"),
    "col-day": ("Dag", "Day"),
    "col-kind": ("Soort", "Kind"),
    "col-what": ("Wat doe je", "What to do"),
    "col-dose": ("Hoeveel", "How much"),
    "kind-run": ("Hardlopen", "Running"),
    "kind-strength": ("Kracht", "Strength"),
    "kind-cross-training": ("Alternatieve training", "Cross-training"),
    "kind-check": ("Testen", "Tests"),
    "protocol-advice": ("Bij het lopen", "For your runs"),
    "block": ("Krachtoefeningen van deze week", "This week's strength exercises"),
    "block-row": ("Krachtoefeningen ({n})", "Strength exercises ({n})"),
    "block-dose": ("zie het blok boven de tabel", "see the box above the table"),
    "block-often": ("Hoe vaak", "How often"),
    "stage": ("stap {n}", "stage {n}"),
    "minutes": ("ongeveer {n} min", "about {n} min"),
    "per-day": ("{n}x per dag", "{n}x a day"),
    "per-week": ("{n}x per week", "{n}x a week"),
    "every-session": ("elke training", "every session"),
    # Cards
    "cards-title": ("De oefeningen", "The exercises"),
    "cards-intro": (
        "Per oefening: waarom je hem doet, hoe je hem uitvoert, waar je op let en hoeveel je doet in elke fase.",
        "For each exercise: why you do it, how to do it, what to watch and how much to do in each phase.",
    ),
    "purpose": ("Waarom", "Why"),
    "steps": ("Zo doe je het", "How to do it"),
    "cues": ("Let op", "Tips"),
    "mistakes": ("Veelgemaakte fouten", "Common mistakes"),
    "dose-per-phase": ("Hoeveel per fase", "How much per phase"),
    "dose-from-to": ("van {a} naar {b}", "from {a} to {b}"),
    "as-test": ("als test", "as a test"),
    "equipment": ("Nodig", "You need"),
    # Diary
    "diary-title": ("Pijndagboek", "Pain diary"),
    "diary-intro": (
        "Vul na elke training in of je hem gedaan hebt en hoeveel pijn je had (0 tot 10), en de volgende "
        "ochtend hoeveel pijn of stijfheid je toen voelde. Neem het dagboek mee naar je afspraken.",
        "After each session, note whether you did it and how much pain you had (0 to 10), and the next "
        "morning how much pain or stiffness you felt. Bring the diary to your appointments.",
    ),
    "col-session": ("Training", "Session"),
    "col-done": ("Gedaan", "Done"),
    "col-during": ("Pijn tijdens (0-10)", "Pain during (0-10)"),
    "col-morning": ("Pijn ochtend erna (0-10)", "Pain next morning (0-10)"),
    "col-note": ("Opmerking", "Note"),
    # Calendar
    "calendar-title": ("Je programma in je agenda", "Your programme in your calendar"),
    "calendar-intro": (
        "Abonneer je op je programma, dan staan alle trainingen in de agenda op je telefoon. Past je "
        "fysiotherapeut het programma aan, dan verandert je agenda vanzelf mee. Scan de code met de camera "
        "van je telefoon of typ het adres over.",
        "Subscribe to your programme and every session appears in the calendar on your phone. When your "
        "physiotherapist changes the programme, your calendar follows by itself. Scan the code with your "
        "phone's camera or type in the address.",
    ),
    "iphone": (
        "iPhone: scan de code met de camera en tik op 'Abonneer', of ga naar Instellingen > Agenda > "
        "Accounts > Voeg account toe > Andere > Voeg agenda-abonnement toe en plak het adres.",
        "iPhone: scan the code with the camera and tap 'Subscribe', or go to Settings > Calendar > Accounts "
        "> Add Account > Other > Add Subscribed Calendar and paste the address.",
    ),
    "android": (
        "Android (Google Agenda): open calendar.google.com op een computer, kies bij 'Andere agenda's' het "
        "plusteken > 'Via URL' en plak het adres; de agenda verschijnt daarna ook op je telefoon.",
        "Android (Google Calendar): open calendar.google.com on a computer, click the plus next to 'Other "
        "calendars' > 'From URL' and paste the address; the calendar then appears on your phone too.",
    ),
    "outlook": (
        "Outlook: ga naar Agenda > Agenda toevoegen > Abonneren vanaf internet en plak het adres.",
        "Outlook: go to Calendar > Add calendar > Subscribe from web and paste the address.",
    ),
    # Footer
    "page": ("Pagina {n} van {total}", "Page {n} of {total}"),
    "subject": ("Revalidatie- en hardloopprogramma", "Rehabilitation and return-to-running programme"),
}


def word(key: str, language: str, **values: object) -> str:
    """The text ``key`` in ``language``, with ``{placeholders}`` filled from ``values``."""
    nl, en = WORDS[key]
    text = en if language == "en" else nl
    return text.format(**values) if values else text
