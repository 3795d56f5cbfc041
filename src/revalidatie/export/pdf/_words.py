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
    "zone-green": ("Groen", "Green"),
    "zone-amber": ("Oranje", "Amber"),
    "zone-red": ("Rood", "Red"),
    "zone-means": ("Wanneer", "When"),
    "light-title": ("Het stoplicht: wat doe je na een training?", "The traffic light: what to do after a session"),
    "morning-title": ("De ochtend erna telt het zwaarst", "The next morning counts most"),
    "morning-text": (
        "Hoe je heup zich de ochtend na een training voelt, zegt meer dan de pijn tijdens de training. Pijn "
        "en stijfheid horen de volgende ochtend terug te zijn op je gewone niveau. Meer pijn dan ervoor? Dan "
        "telt die training als rood. Let ook op de weken: pijn of stijfheid mag niet van week tot week "
        "toenemen.",
        "How your hip feels the morning after a session tells you more than the pain during it. Pain and "
        "stiffness should be back to your usual level the next morning. More pain than before? Then that "
        "session counts as red. Watch the weeks too: pain or stiffness must not grow from week to week.",
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
    # Handout v2: first page, phase sections, page references
    "version": ("Versie {n} van {date}", "Version {n} of {date}"),
    "this-week": ("Deze week: week {n}", "This week: week {n}"),
    "sheet-weeks": ("Week {a} tot {b}", "Weeks {a} to {b}"),
    "sheet-week": ("Week {a}", "Week {a}"),
    "page-ref": ("blz. {n}", "p. {n}"),
    "pages-ref": ("blz. {a}-{b}", "pp. {a}-{b}"),
    "page-word": ("Blz. {n}", "Page {n}"),
    "pages-word": ("Blz. {a}-{b}", "Pages {a}-{b}"),
    "read-title": ("Zo lees je dit boekje", "How to read this booklet"),
    "read-rules": (
        "{pages}: het stoplicht (wat je doet na een training) en wanneer je stopt en belt.",
        "{pages}: the traffic light (what to do after a session) and when to stop and call.",
    ),
    "read-phases": (
        "{pages}: je fases, met het ritme van een gewone week en hoe de oefeningen en het lopen groeien.",
        "{pages}: your phases, with a typical week and how the exercises and the running grow.",
    ),
    "read-weeks": ("{pages}: de andere weken, dag voor dag.", "{pages}: the other weeks, day by day."),
    "read-cards": (
        "{pages}: hoe je elke oefening doet. Bij elke oefening in de schema's staat de bladzijde van de kaart.",
        "{pages}: how to do each exercise. Wherever an exercise is named, its card's page is given.",
    ),
    "read-condition": (
        "{pages}: wat je klacht is, wat je in het dagelijks leven doet en wat je doet op een slechte dag.",
        "{pages}: what your condition is, what to do in daily life and what to do on a bad day.",
    ),
    "read-diary": ("{pages}: je pijndagboek.", "{pages}: your pain diary."),
    "read-calendar": (
        "Alle trainingen staan met datum en tijd in je agenda; die verandert mee als je programma verandert.",
        "Every session is in your calendar with its date and time; it changes when your programme changes.",
    ),
    "strength-days": ("Krachtoefeningen {letter} ({days})", "Strength exercises {letter} ({days})"),
    "strength-row": ("Krachtoefeningen {letter} (hieronder)", "Strength exercises {letter} (below)"),
    "same": ("hetzelfde", "the same"),
    "every-day": ("elke dag", "every day"),
    "days-week": ("{n} dagen per week", "{n} days a week"),
    "col-exercise": ("Oefening", "Exercise"),
    "col-page": ("Blz.", "Page"),
    "phase-heading": ("Fase {n}: {name}", "Phase {n}: {name}"),
    "pattern": ("Een gewone week", "A typical week"),
    "rest-day": ("rust", "rest"),
    "strength-grows": ("Kracht: zo groeit het", "Strength: how it grows"),
    "col-start": ("Begin van de fase", "Start of the phase"),
    "col-end": ("Eind van de fase", "End of the phase"),
    "col-often": ("Hoe vaak", "How often"),
    "running-grows": ("Lopen en alternatieve training", "Running and cross-training"),
    "col-week": ("Week", "Week"),
    "col-running": ("Hardlopen", "Running"),
    "col-cross": ("Alternatieve training", "Cross-training"),
    "no-running": ("geen", "none"),
    "block-key": ("Zo lees je het loopschema: {example}.", "How to read the walk/run blocks: {example}."),
    "check-line": (
        "{date}: testen voor de volgende fase",
        "{date}: tests for the next phase",
    ),
    "your-amount": ("Hoeveel", "How much"),
    "as-test-on": ("Als test op {date}", "As a test on {date}"),
    "diary-week": ("Week: ____  van ________ tot ________", "Week: ____  from ________ to ________"),
    "calendar-short": (
        "Scan de code met de camera van je telefoon om je programma in je agenda te zetten:",
        "Scan the code with your phone's camera to put your programme in your calendar:",
    ),
    "notes-page": ("Notities van je fysiotherapeut: blz. {page}", "Notes from your physiotherapist: page {page}"),
    "no-sessions": ("Deze week staan er geen trainingen.", "No sessions this week."),
    # Footer
    "page": ("Pagina {n} van {total}", "Page {n} of {total}"),
    "subject": ("Revalidatie- en hardloopprogramma", "Rehabilitation and return-to-running programme"),
}


def word(key: str, language: str, **values: object) -> str:
    """The text ``key`` in ``language``, with ``{placeholders}`` filled from ``values``."""
    nl, en = WORDS[key]
    text = en if language == "en" else nl
    return text.format(**values) if values else text
