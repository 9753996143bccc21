"""Who sees what: every place the bot shows data, for the works agreement and the employees' one-pager.

One table for both documents, so the agreement and the page people read cannot say different things.
`{min_group}`, `{command}`, `{community_channel}` and `{admin_channel}` are filled from the running configuration.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Surface:
    name: str
    audience: str
    shows: str
    rule: str


SURFACES: tuple[Surface, ...] = (
    Surface(
        "App Home (Startseite der App)",
        "nur die Person selbst",
        "eigene Einträge und Summen, Serie, Reifegrad, Lernpfad, Buddy-Status, nächste Termine",
        "eigene Daten; niemand sonst sieht diese Seite",
    ),
    Surface(
        "`{command} stats`",
        "nur die Person selbst (nur für sie sichtbare Antwort)",
        "eigene Bilanz: Woche, Monat, gesamt, Serie, häufigste Tools und Anwendungsfälle, Reifegrad, Lernfortschritt",
        "eigene Daten",
    ),
    Surface(
        "Wochenpost (Team-Rangliste)",
        "alle Mitglieder des Kanals #{community_channel}",
        "Bereiche nach Anwendungsquote und Zeitersparnis pro Kopf; neue Anwendungsfälle, Tipps und Learnings",
        "nur Bereiche ab {min_group} Personen, kleinere zusammen als „Weitere Teams“; "
        "Einzelne nur mit eigener Zustimmung (Opt-in)",
    ),
    Surface(
        "`{command} top`",
        "nur die fragende Person",
        "dieselbe Rangliste wie der Wochenpost, für Woche, Monat oder Quartal",
        "wie der Wochenpost",
    ),
    Surface(
        "`{command} tip`",
        "alle Mitglieder des Kanals #{community_channel}",
        "der geteilte Tipp, mit Namen oder anonym",
        "nur, was die Person selbst teilt; anonym auf Wunsch",
    ),
    Surface(
        "`{command} usecase`",
        "alle, die den Bot nutzen",
        "Anwendungsfälle mit Titel, Bereich, Status, Learning und Zahl der Nutzenden",
        "ohne Namen der Nutzenden; erfasste Zeit je Anwendungsfall erst ab {min_group} Personen",
    ),
    Surface(
        "Buddy-Check-in",
        "die Beteiligten eines Buddy-Paares in ihrer gemeinsamen Direktnachricht",
        "die wöchentliche Antwort „Habt ihr euch ausgetauscht?“ und eine kurze Notiz",
        "nur das Paar; Berichte zählen gehaltene Check-ins nur als Summe",
    ),
    Surface(
        "Monatsbericht",
        "Mitglieder des Admin-Kanals #{admin_channel}",
        "KPIs mit Trend (Anwendungsquote, Zeitersparnis, Anwendungsfälle, Wissenstransfer, ROI), "
        "Reifegrad-Verteilung pro Bereich, Diagramm der letzten 12 Wochen",
        "nur Summen von Gruppen ab {min_group} Personen",
    ),
    Surface(
        "CSV-Export",
        "der anfordernde Admin, als Datei in der Direktnachricht",
        "dieselben KPIs und die Wochenreihe als Tabelle",
        "nur Summen ab {min_group} Personen; jeder Export steht im Audit-Log",
    ),
    Surface(
        "Ergebnisse der Quartals-Retro",
        "Admins auf Anfrage",
        "Zahl der Antworten, Durchschnittsbewertung, Antworten auf die drei Fragen ohne Namen",
        "erst ab {min_group} Antworten; der Abruf steht im Audit-Log",
    ),
    Surface(
        "Buddy-Feedback",
        "die Buddys untereinander; Admins nur die Summe",
        "Verlängern oder Beenden sehen die Beteiligten; Admins sehen Anzahl und Durchschnitt der Bewertungen",
        "Durchschnitt erst ab {min_group} Bewertungen; Kommentare werden niemandem angezeigt",
    ),
    Surface(
        "`{command} prompt` (Prompt-Coach)",
        "nur die Person selbst (nur für sie sichtbare Antwort)",
        "Einschätzung des eigenen Prompts und ein verbesserter Prompt",
        "Prompt und Antwort werden nicht gespeichert; geteilt wird nur, was die Person selbst als Tipp teilt",
    ),
    Surface(
        "`{command} admin coach`",
        "nur Admins",
        "ob der Coach eingeschaltet ist und wohin Prompts gehen; im Monat: Personen, verbesserte Prompts, "
        "anonyme Bewertungen",
        "Zahlen erst, wenn mindestens {min_group} Personen den Coach im Monat genutzt haben",
    ),
    Surface(
        "Admin-Panel (App Home der Admins)",
        "nur Admins",
        "KPIs des laufenden Monats; mit `{command} admin buddy` die Warteliste auf einen Buddy mit Namen",
        "Summen ab {min_group} Personen; die Warteliste namentlich, damit niemand übersehen wird",
    ),
)
