"""Citation extraction: the cue grammar, zones, relays and the five seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.citations import Registry, attribution, extract_citations, split_sentences
from provenance.extract import extract_plain
from provenance.records import CITATION_KINDS, COUNTING_KINDS, Citation, Zone

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"

CLAIM, QUOTE, REPORT, RELAY = "claim_attribution", "direct_quote", "report_reference", "relay"
BOX, WIRE, IMAGE, RELATED = "source_box", "wire_credit", "image_credit", "related_links"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def cited_outlets(citations: list[Citation]) -> list[str]:
    """The sorted ids of the outlets the citations cite (kinds that count only)."""
    return sorted({c.outlet_id for c in citations if c.outlet_id and c.counts})


def _found(citations: list[Citation]) -> set[tuple[str, str]]:
    """(outlet or source id, kind) of every citation that is more than a bare mention."""
    return {(c.outlet_id or c.source_id or "?", c.kind) for c in citations if c.kind != "mention"}


# (text, language, expected {(outlet or source id, kind)} without bare mentions)
CASES: list[tuple[str, str, set[tuple[str, str]]]] = [
    # German prepositional cues
    ("Laut der offiziellen Nachrichtenagentur KCNA plant Kim neue Tests.", "de",
     {("kcna", CLAIM)}),
    ("Laut einem Bericht der NHK sollen die Lieferungen bald beginnen.", "de", {("nhk", CLAIM)}),
    ("Der südkoreanischen Nachrichtenagentur Yonhap zufolge feuerte Nordkorea zwei Raketen ab.",
     "de", {("yonhap", CLAIM)}),
    ("Den Einschätzungen von Yonhap zufolge könnte das Programm wachsen.", "de",
     {("yonhap", CLAIM)}),
    ("Einem Bericht der BBC vom Montag zufolge wurden drei Menschen verletzt.", "de",
     {("bbc", CLAIM)}),
    ("Einer dpa-Meldung zufolge ist der Flughafen geschlossen.", "de", {("dpa", CLAIM)}),
    ("Nach Angaben der Deutschen Presse-Agentur wurde niemand verletzt.", "de", {("dpa", CLAIM)}),
    ("Nach Informationen des Spiegels plant die Regierung einen Kurswechsel.", "de",
     {("spiegel", CLAIM)}),
    ("Nach NHK-Informationen ist der Test gescheitert.", "de", {("nhk", CLAIM)}),
    ("Laut KCNA und Yonhap fand der Test am Morgen statt.", "de",
     {("kcna", CLAIM), ("yonhap", CLAIM)}),
    # German report verbs: the outlet must be the subject
    ("Am Sonntag berichtete die staatliche Nachrichtenagentur KCNA über den Test.", "de",
     {("kcna", CLAIM)}),
    ("KCNA gab bekannt, dass die Produktion gestiegen sei.", "de", {("kcna", CLAIM)}),
    ("Kim traf am 14. Januar in Moskau ein, berichtete Yonhap.", "de", {("yonhap", CLAIM)}),
    ("Die Financial Times hatte zuvor über die Pläne berichtet.", "de",
     {("financial_times", CLAIM)}),
    ("KCNA und Rodong Sinmun meldeten den Test am Dienstag.", "de",
     {("kcna", CLAIM), ("rodong_sinmun", CLAIM)}),
    ("Die Zeitung „Rodong Sinmun“ schrieb, Kim sei zufrieden.", "de",
     {("rodong_sinmun", CLAIM)}),
    ("Florence Looi von Al Jazeera, die aus Seoul berichtete, sagte, es sei bedeutsam.", "de",
     {("al_jazeera", CLAIM)}),
    ("Während die Bangkok Post von 100.000 Demonstranten sprach, sprach die Nachrichtenagentur "
     "Reuters von 50.000.", "de", {("bangkok_post", CLAIM), ("reuters", CLAIM)}),
    ("Die Inszenierung lenke von der Oper ab, so Karl Harb von den Salzburger Nachrichten.", "de",
     {("salzburger_nachrichten", CLAIM)}),
    ("Der Staatssekretär sagte der „Berliner Zeitung“, dass die Steuer kommt.", "de",
     {("berliner_zeitung", QUOTE)}),
    ("Bei der Agentur RIA hieß es, dass es zwei Detonationen gab.", "de",
     {("ria_novosti", CLAIM)}),
    ("Dies geht aus einer Meldung der dpa hervor.", "de", {("dpa", CLAIM)}),
    ("Nach einer „Reuters“-Reporterin waren zahlreiche Rettungswagen vor Ort.", "de",
     {("reuters", CLAIM)}),
    ("Das steht laut „Spiegel“ in der Klageschrift.", "de", {("spiegel", CLAIM)}),
    # descriptors (Staatsagentur, Staatssender, Sender, Parteizeitung, TV-Sender) with every cue
    ("Laut der nordkoreanischen Staatsagentur KCNA sprach der Minister von einem Erfolg.", "de",
     {("kcna", CLAIM)}),
    ("Der russischen Staatsagentur TASS zufolge wurde die Brücke eröffnet.", "de",
     {("tass", CLAIM)}),
    ("Nach Angaben des Staatssenders KCTV besuchte Kim die Werft.", "de", {("kctv", CLAIM)}),
    ("Laut dem Nachrichtensender ntv stieg der Ölpreis.", "de", {("ntv_de", CLAIM)}),
    ("Dem TV-Sender CBS zufolge ist der Flughafen geschlossen.", "de", {("cbs_news", CLAIM)}),
    ("Das meldete die Staatsagentur KCNA am Mittwoch nach einem Fabrikbesuch.", "de",
     {("kcna", CLAIM)}),
    ("Russlands Staatssender RT berichtete über das Treffen.", "de", {("rt", CLAIM)}),
    ("Die Parteizeitung Rodong Sinmun lobte den Einsatz der Arbeiter.", "de",
     {("rodong_sinmun", CLAIM)}),
    ("Am Montag hat die Staatsagentur KCNA den Test gemeldet.", "de", {("kcna", CLAIM)}),
    ("Der Minister hatte dem Sender NHK gesagt, dass die Lieferungen laufen.", "de",
     {("nhk", QUOTE)}),
    # German background reports
    ("Wie vienna.at berichtete, ist das Treffen abgesagt.", "de", {("vienna_at", REPORT)}),
    ("Das Treffen wurde abgesagt, wie die Nachrichtenagentur Reuters am Montag meldete.", "de",
     {("reuters", REPORT)}),
    ("Frühere Informationen in der FT deuten auf Waffenlieferungen hin.", "de",
     {("financial_times", REPORT)}),
    ("Ein BBC-Bericht zeigte die Schäden an der Brücke.", "de", {("bbc", REPORT)}),
    ("Schon im Februar hatte der japanische Sender NHK berichtet, Moskau helfe Pjöngjang.",
     "de", {("nhk", REPORT)}),
    ("Wie der Staatssender KCTV berichtete, fand die Parade am Abend statt.", "de",
     {("kctv", REPORT)}),
    # German direct quotes
    ("TASS sagte, der „Führer der DVRK habe fünf Drohnen erhalten“.", "de", {("tass", QUOTE)}),
    ("„Wir sind bereit“, sagte ein Sprecher der BBC.", "de", {("bbc", QUOTE)}),
    ("Die nordkoreanische Nachrichtenagentur KCNA beschrieb die Atmosphäre als „inbrünstig und "
     "warm“.", "de", {("kcna", QUOTE)}),
    ("Die russische Staatsagentur TASS zitierte aus einer Mitteilung der Behörde, Kim habe "
     "„fünf Drohnen“ erhalten.", "de", {("tass", QUOTE)}),
    ("Nordkoreas Staatsagentur KCNA feierte die Reise als Beginn einer „neuen Epoche“.", "de",
     {("kcna", QUOTE)}),
    # German relays
    ("Yonhap berichtete unter Berufung auf KCNA, dass Kim die Fabrik besucht habe.", "de",
     {("yonhap", RELAY), ("kcna", RELAY)}),
    ("Wie Yonhap unter Berufung auf KCNA meldete, reiste Kim nach Moskau.", "de",
     {("yonhap", RELAY), ("kcna", RELAY)}),
    ("Yonhap meldete unter Berufung auf die Staatsagentur KCNA, der Test sei gelungen.", "de",
     {("yonhap", RELAY), ("kcna", RELAY)}),
    # German non-outlet sources
    ("Der Kreml sagte, es sei kein Abkommen unterzeichnet worden.", "de", {("kremlin", CLAIM)}),
    ("Die Hauptdirektion für Nachrichtendienste enthüllte das Ausmaß der Lieferungen.", "de",
     {("hur", CLAIM)}),
    ("Das Weiße Haus erklärte, die Gespräche seien produktiv gewesen.", "de",
     {("white_house", CLAIM)}),
    ("Vadim Skibitsky, ein Vertreter der Hauptdirektion für Nachrichtendienste, gab bekannt, "
     "dass Moskau eine Million Geschosse erhielt.", "de", {("hur", CLAIM)}),
    ("Er äußerte sich zu Aussagen des Weißen Hauses über ballistische Raketen.", "de",
     {("white_house", CLAIM)}),
    ("Laut Polizei wurde niemand verletzt.", "de", {("police", CLAIM)}),
    ("Nach Angaben des ukrainischen Generalstabs wurden zwölf Drohnen abgeschossen.", "de",
     {("ua_general_staff", CLAIM)}),
    ("Nach Angaben des russischen Verteidigungsministeriums wurden 20 Drohnen abgeschossen.",
     "de", {("ru_defence_ministry", CLAIM)}),
    ("Das ISW schätzt, dass Russland weiter vorrückt.", "de", {("isw", CLAIM)}),
    # German traps: outlets that are not cited, acronyms in other uses
    ("Die BBC entließ am Montag ihren Generaldirektor.", "de", set()),
    ("Sender wie die BBC und Al Jazeera sind betroffen.", "de", set()),
    ("Die UN verurteilte den Test.", "de", set()),
    ("Der FTSE-Index fiel um zwei Prozent.", "de", set()),
    ("Die Software nutzt die DPA-Schnittstelle des Herstellers.", "de", set()),
    ("Die Welt ist im Wandel, sagte der Minister.", "de", set()),
    ("Die Welt, sagte der Minister, ist im Wandel.", "de", set()),
    ("Das Erste zeigte am Abend einen Spielfilm.", "de", set()),
    ("Die Firma beziffert die Verluste zur Zeit noch nicht.", "de", set()),
    ("Der Österreichische Rundfunk (ORF) - der Sender wird 70.", "de", set()),
    ("Es wurde laut im Saal, als die Ergebnisse kamen.", "de", set()),
    ("Nach der BBC-Sendung gingen viele Beschwerden ein.", "de", set()),
    ("Der Minister kritisierte die Staatsagentur KCNA scharf.", "de", set()),
    # statements given to an outlet (DESIGN.md §3: direct quotes of that outlet)
    ("Talking to Fox News, the governor said the storm had passed.", "en",
     {("fox_news", QUOTE)}),
    ("Speaking to the BBC, the mayor said the bridge would reopen.", "en", {("bbc", QUOTE)}),
    ("In an interview with CNBC, the chief executive said prices would fall.", "en",
     {("cnbc", QUOTE)}),
    ("The minister confirmed to Reuters that the plan was dropped.", "en",
     {("reuters", QUOTE)}),
    ("In a statement to the Associated Press, the company denied wrongdoing.", "en",
     {("ap", QUOTE)}),
    ("„Wir sind bereit“, sagte der Minister der dpa.", "de", {("dpa", QUOTE)}),
    ("Das sagte die Ministerin am Montag der dpa.", "de", {("dpa", QUOTE)}),
    ("Wie der Minister dem Spiegel sagte, kommt die Steuer im Mai.", "de",
     {("spiegel", QUOTE)}),
    ("Der Minister sagte am Montag gegenüber dem RND, die Steuer komme.", "de",
     {("rnd", QUOTE)}),
    ("Gegenüber dem Tagesspiegel erklärte die Ministerin, sie bleibe.", "de",
     {("tagesspiegel", QUOTE)}),
    ("Im Gespräch mit ntv sagte der Minister, die Steuer komme.", "de", {("ntv_de", QUOTE)}),
    ("Der Kanzler sagte am Sonntag bei RTL, er bleibe im Amt.", "de", {("rtl_de", QUOTE)}),
    ("Das sagte die Ministerin im ZDF-Interview.", "de", {("zdf", QUOTE)}),
    # ... but the spokesperson of an outlet speaks for it, and employment is no statement
    ("„Wir sind bereit“, sagte der Sprecher der dpa.", "de", {("dpa", QUOTE)}),
    ("Er sagte, er arbeite seit Jahren bei RTL.", "de", set()),
    ("Der Minister dankte dem Spiegel für die Recherche.", "de", set()),
    # an outlet's coverage as the subject: a judgement in the perfect, footage it showed
    ("Selbst die Wochenzeitschrift „Spiegel“ hatte im Mai kritisiert, dass niemand half.", "de",
     {("spiegel", CLAIM)}),
    ("Auch der Sender NHK zeigte Bilder von verletzten Personen.", "de", {("nhk", CLAIM)}),
    # bylines and datelines
    ("Von dpa\nBerlin - Der Bundestag hat das Gesetz beschlossen. Es gilt ab Mai.", "de",
     {("dpa", WIRE)}),
    ("By Jane Doe, The Canadian Press\nOTTAWA — The budget was tabled. It was long.", "en",
     {("canadian_press", WIRE)}),
    ("WASHINGTON (AP) — The Senate passed the bill on Monday.", "en", {("ap", WIRE)}),
    # relays
    ("The Chicago Tribune reported, citing the Associated Press, that the officer was fired.",
     "en", {("chicago_tribune", RELAY), ("ap", RELAY)}),
    ("Wie der Spiegel unter Berufung auf die dpa berichtet, ist der Täter gefasst.", "de",
     {("spiegel", RELAY), ("dpa", RELAY)}),
    ("Die Regierung hatte den Sender NHK verklagt.", "de", set()),
    # a place adjective before the name; "den" before a name in the plural is a dative
    ("Das sagte Krings der Düsseldorfer „Rheinischen Post“ (Samstag).", "de",
     {("rheinische_post", QUOTE)}),
    ("Laut der Düsseldorfer „Rheinischen Post“ ist der Täter gefasst.", "de",
     {("rheinische_post", CLAIM)}),
    ("Das sagte der Sprecher den Kieler Nachrichten.", "de", {("kieler_nachrichten", QUOTE)}),
    ("Der Minister kritisierte den „Spiegel“ scharf.", "de", set()),
    # the outlet whose interview it was ("im Interview des Senders", genitive)
    ("Das sagte der Minister im Interview des Nachrichtenportals \"Politico\".", "de",
     {("politico", QUOTE)}),
    ("Er äußerte sich in einem Gespräch der Deutschen Welle.", "de", {("dw", QUOTE)}),
    ("Das Interview des Ministers mit dem Sender CNN dauerte eine Stunde.", "de",
     {("cnn", QUOTE)}),
    # English cues
    ("According to Reuters, the talks collapsed on Tuesday.", "en", {("reuters", CLAIM)}),
    ("According to the state-run Korean Central News Agency, Kim inspected a factory.", "en",
     {("kcna", CLAIM)}),
    ("The BBC reported that three people were killed.", "en", {("bbc", CLAIM)}),
    ("Three people were killed, the BBC reported.", "en", {("bbc", CLAIM)}),
    ("Kim inspected the plant, KCNA said on Sunday.", "en", {("kcna", CLAIM)}),
    ("A spokesman told Reuters the company would appeal.", "en", {("reuters", QUOTE)}),
    ("In an interview with the BBC, the minister denied the claims.", "en", {("bbc", QUOTE)}),
    ("\"We will not back down,\" the minister told the Associated Press.", "en", {("ap", QUOTE)}),
    # a short object between the speech verb and the outlet the statement was given to
    ("The mayor confirmed the closure to Sky News on Friday.", "en", {("sky_news", QUOTE)}),
    ("The minister described the talks to the Financial Times as difficult.", "en",
     {("financial_times", QUOTE)}),
    ("The club confirmed his move to the BBC on Friday.", "en", set()),
    ("The group confirmed the sale of its stake to Thomson Reuters.", "en", set()),
    ("Firms must disclose detailed reports about their work to the Justice Department.", "en",
     set()),
    ("The news was first reported by the Financial Times.", "en", {("financial_times", REPORT)}),
    ("As the New York Times reported last week, the plan was dropped.", "en", {("nyt", REPORT)}),
    ("Rep. Collins wrote in The Washington Post that the plan failed.", "en",
     {("washington_post", REPORT)}),
    ("Fox News host Sean Hannity said Trump would win.", "en", {("fox_news", CLAIM)}),
    ("Paul Krugman of the New York Times points out that inflation is low.", "en",
     {("nyt", CLAIM)}),
    ("The New York Times reported the deal. His spokesman told the Times he was wrong.", "en",
     {("nyt", CLAIM), ("nyt", QUOTE)}),
    ("Reuters: Oil prices rise sharply", "en", {("reuters", CLAIM)}),
    ("North Korea's KCNA state news agency called the bridge \"a new artery of friendship\" "
     "and said it would \"serve both peoples\".", "en", {("kcna", QUOTE)}),
    ("The Yonhap news agency reported that two missiles were fired.", "en",
     {("yonhap", CLAIM)}),
    ("TASS state news agency said the bridge would open in June.", "en", {("tass", CLAIM)}),
    ("According to North Korea's state news agency KCNA, Kim inspected the site.", "en",
     {("kcna", CLAIM)}),
    ("The Chicago Sun-Times reported that the mayor resigned.", "en",
     {("chicago_sun_times", CLAIM)}),
    ("Bloomberg reported that the deal was off.", "en", {("bloomberg", CLAIM)}),
    ("BBC News understands that the minister will resign.", "en", {("bbc", CLAIM)}),
    ("The Guardian found that the company had paid no tax.", "en", {("the_guardian", CLAIM)}),
    ("TASS informed on Monday that the bridge had reopened.", "en", {("tass", CLAIM)}),
    ("Fox News found itself at the centre of the row.", "en", set()),
    ("The memo was leaked to the Guardian last week.", "en", {("the_guardian", REPORT)}),
    ("The film was shown to the BBC board in March.", "en", set()),
    ("A Bloomberg poll showed a tight race.", "en", {("bloomberg", REPORT)}),
    # English relays, chains included
    ("Yonhap, citing KCNA, said the launch took place at dawn.", "en",
     {("yonhap", RELAY), ("kcna", RELAY)}),
    ("AFP, citing Xinhua, reported that the bridge collapsed.", "en",
     {("afp", RELAY), ("xinhua", RELAY)}),
    ("Interfax, citing TASS, which cited RIA Novosti, said the plant was shut.", "en",
     {("interfax", RELAY), ("tass", RELAY), ("ria_novosti", RELAY)}),
    ("Citing a report by NHK, Kyodo said the reactor was stable.", "en",
     {("nhk", RELAY), ("kyodo", RELAY)}),
    ("Yonhap, citing the state news agency KCNA, said the launch failed.", "en",
     {("yonhap", RELAY), ("kcna", RELAY)}),
    ("North Korea fired two missiles, Yonhap reported, citing South Korea's military.", "en",
     {("yonhap", CLAIM)}),
    # English non-outlet sources
    ("According to the Institute for the Study of War, Russian forces advanced.", "en",
     {("isw", CLAIM)}),
    ("Ukrainian military intelligence said the strike hit a depot.", "en", {("hur", CLAIM)}),
    ("The White House said the talks were productive.", "en", {("white_house", CLAIM)}),
    ("South Korea's National Intelligence Service told lawmakers that 10,000 troops had been "
     "sent.", "en", {("nis", CLAIM)}),
    # English traps
    ("The BBC fired its director general on Monday.", "en", set()),
    ("The AP Stylebook is updated every year.", "en", set()),
    ("The FT Index rose by 2 percent.", "en", set()),
    # not The Times: a name the registry lacks, discovered from its media word
    ("As the Ridgeview Business Times noted, Clinton raised $1 million.", "en",
     {("discovered:ridgeview-business-times", REPORT)}),
    ("The National Rifle Association said the rule was unfair.", "en", set()),
    ("The Ridgeview-Times reported that the mayor resigned.", "en",
     {("discovered:ridgeview-times", CLAIM)}),
    # a media word that leads the name
    ("The senator denied it in April, according to the Daily Ridgeview.", "en",
     {("discovered:daily-ridgeview", CLAIM)}),
    ("The mayor praised the Daily Ridgeview on Monday.", "en", set()),
    ("Economists at the bank expect slower growth.", "en", set()),
    ("“The remark was rough,” said the Vox Populi (Voice of the People) column.", "en", set()),
    ("CBC Chairman G.K. Butterfield said he was outraged.", "en", set()),
    ("Michael Bloomberg said he would not run.", "en", set()),
    ("\"We are close,\" Mayor Bloomberg said.", "en", set()),
    # source boxes
    ("Der Zug fiel aus.\nQuelle: dpa", "de", {("dpa", BOX)}),
    # the footer of a press release that news aktuell (ots) distributed
    ("Die Polizei sucht Zeugen. Original-Content von: Polizeipräsidium Ulm, übermittelt durch "
     "news aktuell", "de", {("police", BOX)}),
    ("Pressekontakt: Redaktion\nOriginal-Content von: Rheinische Post, übermittelt durch news "
     "aktuell", "de", {("rheinische_post", BOX)}),
    ("Der Zug fiel aus.\nBeste Referenz\nvienna.at\nWeitere Quellen\ntagesschau.de", "de",
     {("vienna_at", BOX), ("tagesschau", BOX)}),
    ("The train was cancelled.\nSource: Reuters", "en", {("reuters", BOX)}),
    ("Der Zug fiel aus.\nQuellen: Spiegel Online, BBC News", "de",
     {("spiegel", BOX), ("bbc", BOX)}),
    # wire credits
    ("Seoul (dpa) - Nordkorea hat erneut eine Rakete getestet.", "de", {("dpa", WIRE)}),
    ("SEOUL, Nov 3 (Reuters) - North Korea fired a missile on Friday.", "en",
     {("reuters", WIRE)}),
    ("Berlin (dpa/AFP) - Der Bundestag hat das Gesetz beschlossen.", "de",
     {("dpa", WIRE), ("afp", WIRE)}),
    ("Die Regierung trat zurück. (dpa)", "de", {("dpa", WIRE)}),
    # both agencies of a closing credit ("/AFP)" was read as a caption's tail, a photo's)
    ("Die Regierung trat am Montag zurück. (dpa/AFP)", "de", {("dpa", WIRE), ("afp", WIRE)}),
    # an agency's bare name after the last sentence; another outlet's is no credit there
    ("Die Kölner verloren auch das 18. Spiel in Folge. dpa", "de", {("dpa", WIRE)}),
    ("Der Täter ist gefasst. RND/epd/cl", "de", {("epd", WIRE)}),
    ("Das Ergebnis war knapp. Spiegel", "de", set()),
    # an interview given for an outlet, a survey by one
    ("Gates äußerte sich in einem Interview für die Frankfurter Allgemeine Zeitung.", "de",
     {("faz", QUOTE)}),
    ("Die Gemeinden gaben in einer Umfrage der Deutschen Presse-Agentur an, dass sie Platz "
     "haben.", "de", {("dpa", REPORT)}),
    ("Die Regierung trat zurück.\nMit Material von AFP", "de", {("afp", WIRE)}),
    ("Die Regierung trat zurück.\nmit Material der Nachrichtenagenturen dpa und AFP", "de",
     {("dpa", WIRE), ("afp", WIRE)}),
    ("dpa/AFP\nDie Regierung trat zurück.", "de", {("dpa", WIRE), ("afp", WIRE)}),
    ("The council voted 6-1.\n(Reporting by David Bailey; Editing by Cynthia Osterman.)", "en",
     {("reuters", WIRE)}),
    ("Associated Press writer Julie Pace contributed to this report.", "en", {("ap", WIRE)}),
    ("WASHINGTON (AP) — The Senate passed the bill.", "en", {("ap", WIRE)}),
    # a dateline run into the title before it, or into the item before it; "(DPA-AFX)" is an
    # agency, not a photographer in capitals
    ("Euro sinkt auf Monatstief  Frankfurt (DPA-AFX) - Der Euro ist gefallen.", "de",
     {("dpa_afx", WIRE)}),
    ("Der Täter ist gefasst. Berlin (dpa) - Die Polizei ermittelt weiter.", "de",
     {("dpa", WIRE)}),
    ("Das Erste (ARD) - die Sendung läuft um acht.", "de", set()),
    # ANI's dated datelines, Deutsche Welle's sign-offs, MENAFN's syndication line
    ("Chandigarh (Punjab) [India], Jan 1 (ANI): The party slammed the government.", "en",
     {("ani", WIRE)}),
    ("Rain hits the capital New Delhi [India], Jan 2 (ANI): Heavy rain fell on Monday.", "en",
     {("ani", WIRE)}),
    ("The vote was 52 to 48 (CNN): a narrow result.", "en", set()),
    ("Many were killed in the floods. aw/mm (AP, AFP, Reuters)", "en",
     {("ap", WIRE), ("afp", WIRE), ("reuters", WIRE)}),
    ("Das Hochwasser war schlimm.\nhb/sti (dpa,rtr)", "de", {("dpa", WIRE), ("reuters", WIRE)}),
    ("Die Stadt und/oder das Land (ARD) zahlen.", "de", set()),
    ("(MENAFN - Gulf Times) The Amir exchanged greetings on Tuesday.", "en",
     {("gulf_times", WIRE)}),
    ("Der Bundestag tagte.\n© dpa-infocom, dpa:230915-99-123456/3", "de", {("dpa", WIRE)}),
    # a text's copyright notice credits the text; a photo's ("© Reuters") does not
    ("The Senate passed the bill.\nCopyright 2019 The Associated Press. All rights reserved. "
     "This material may not be published, broadcast, rewritten or redistributed.", "en",
     {("ap", WIRE)}),
    ("Markets fell.\n© 2021 Reuters. All rights reserved.", "en", {("reuters", WIRE)}),
    ("Der Bundestag tagte.\n© 2024 dpa. Alle Rechte vorbehalten.", "de", {("dpa", WIRE)}),
    ("Copyright law changed in 2019. All rights reserved by authors remain, the Associated "
     "Press reported.", "en", {("ap", CLAIM)}),
    # the notice of a newspaper is its owner's (the page's), and a photographer's is a photo's
    ("The council met.\nCopyright 2024 The Washington Post. All rights reserved.", "en", set()),
    ("The council met.\nCopyright Shakh Aivazov/Copyright 2024 The AP. All rights reserved.",
     "en", {("ap", IMAGE)}),
    # historical run-in datelines (OCR text on one line), lower-case and old-spelling credits
    ("Die Versammlung tagte. Rom, 12. Oktober. (AP) Die Kardinäle trafen sich.", "de",
     {("ap", WIRE)}),
    ("Berlin. 9. Dez. (United Preß.) Die Ausstoßung wurde bekannt.", "de", {("upi", WIRE)}),
    ("Les troupes avancent. NAPLES, 23 (Reuter). — Les troupes de la 8me armée avancent.", "fr",
     {("reuters", WIRE)}),
    ("Elles seront réhabilitées. (UPI, Reuter, Impar.)", "fr", {("upi", WIRE), ("reuters", WIRE)}),
    ("Le risque existe, a dit le médecin, (ap)", "fr", {("ap", WIRE)}),
    ("Les troupes avancent. (ats)", "fr", {("keystone_sda", WIRE)}),
    ("Genève, 3 (ats-afp). Les troupes avancent.", "fr", {("keystone_sda", WIRE), ("afp", WIRE)}),
    ("Adresser les offres, certifl ats d études, à M. Ernst.", "fr", set()),
    # a title run into its text with the agency's dateline between (agencies only)
    ("Spannungen verschärft Bagdad/Washington (dpa) - Die Demonstranten zogen ab.", "de",
     {("dpa", WIRE)}),
    ("Church guard stopped the gunman (Reuters) - A man in a fake beard raised suspicion.", "en",
     {("reuters", WIRE)}),
    ("Die Gewerkschaft der Zeitung (FAZ) - Verdi - ruft zum Streik auf.", "de", set()),
    # editors' initials and agencies joined by a hyphen after the last sentence
    ("Die Länder beraten im April erneut. cr/dpa", "de", {("dpa", WIRE)}),
    ("Die Länder beraten im April erneut. ats-afp", "de", {("keystone_sda", WIRE), ("afp", WIRE)}),
    # image credits never count
    ("Kim besuchte eine Fabrik.\nBildquelle: © East News", "de", {("east_news", IMAGE)}),
    ("Kim in Moskau. Foto: picture alliance/dpa", "de",
     {("picture_alliance", IMAGE), ("dpa", IMAGE)}),
    ("Russland und Nordkorea haben ihre Beziehungen gestärkt/GettyImages und Channel 24 Collage",
     "de", {("getty_images", IMAGE), ("channel_24_ua", IMAGE)}),
    ("Photo: Getty Images", "en", {("getty_images", IMAGE)}),
    ("© Reuters", "en", {("reuters", IMAGE)}),
    ("Trump speaks in Iowa. (AP Photo/Evan Vucci)", "en", {("ap", IMAGE)}),
    ("Blocher spoke on October 2, 2015. (FABRICE COFFRINI/AFP/Getty Images.)", "en",
     {("afp", IMAGE), ("getty_images", IMAGE)}),
    # related links never count
    ("Der Test scheiterte.\nLesen Sie auch\n- BBC entlässt Generaldirektor\n- Reuters: Ölpreis "
     "steigt", "de", {("bbc", RELATED), ("reuters", RELATED)}),
    ("Mehr zum Thema: Yonhap meldet neuen Raketentest", "de", {("yonhap", RELATED)}),
    ("Read more: Reuters poll shows a Labour lead", "en", {("reuters", RELATED)}),
    ("Related to this, the BBC reported a second leak.", "en", {("bbc", CLAIM)}),
]


@pytest.mark.parametrize(("text", "language", "expected"), CASES,
                         ids=[f"{i:02d}-{c[0][:40]}" for i, c in enumerate(CASES)])
def test_cited_sources_and_kinds(registry: Registry, text: str, language: str,
                                 expected: set[tuple[str, str]]) -> None:
    citations = extract_citations(text, language, registry)
    assert _found(citations) == expected, "\n".join(
        f"{c.source_name!r} {c.kind} rule={c.rule} cue={c.cue!r}" for c in citations)


def test_table_covers_every_kind() -> None:
    covered = {kind for _, _, expected in CASES for _, kind in expected}
    assert covered == set(CITATION_KINDS) - {"mention"}
    assert len(CASES) >= 60


def test_counting_kinds_follow_the_design() -> None:
    assert COUNTING_KINDS == set(CITATION_KINDS) - {"image_credit", "related_links", "mention"}
    for kind in ("claim_attribution", "direct_quote", "report_reference", "relay", "source_box",
                 "wire_credit"):
        assert kind in COUNTING_KINDS


def test_outlet_as_subject_of_the_news_is_a_mention(registry: Registry) -> None:
    (citation,) = extract_citations("The BBC fired its director general.", "en", registry)
    assert (citation.outlet_id, citation.kind, citation.rule) == ("bbc", "mention", "mention")
    assert not citation.counts


def test_agency_line_mid_article_credits_a_photo(registry: Registry) -> None:
    body = "\n\n".join(f"Paragraph {i} of the story." for i in range(8))
    text = body.replace("Paragraph 4", "ASSOCIATED PRESS.\n\nParagraph 4")
    (citation,) = extract_citations(text, "en", registry)
    assert (citation.outlet_id, citation.kind) == ("ap", IMAGE)
    top = extract_citations("ASSOCIATED PRESS\n\n" + body, "en", registry)
    assert [(c.outlet_id, c.kind) for c in top] == [("ap", WIRE)]


def test_relay_to_a_non_outlet_source_keeps_the_relaying_outlet(registry: Registry) -> None:
    text = "Yonhap reported, citing the South Korean Joint Chiefs of Staff, that two missiles flew."
    by_id = {c.outlet_id or c.source_id: c for c in extract_citations(text, "en", registry)}
    assert by_id["yonhap"].kind == CLAIM
    assert (by_id["kr_jcs"].kind, by_id["kr_jcs"].relayed_by) == (CLAIM, "yonhap")
    assert by_id["kr_jcs"].source_type == "authority" and by_id["kr_jcs"].outlet_id is None


def test_told_an_outlet_is_a_direct_quote_with_its_own_rule(registry: Registry) -> None:
    # DESIGN.md §3: a statement given to an outlet was first published by that outlet
    (citation,) = extract_citations("A spokesman told Reuters it would appeal.", "en", registry)
    assert (citation.kind, citation.rule, citation.cue) == (QUOTE, "en.told", "told")


def test_relay_marks_the_innermost_as_original(registry: Registry) -> None:
    text = "Interfax, citing TASS, which cited RIA Novosti, said the plant was shut."
    by_id = {c.outlet_id: c for c in extract_citations(text, "en", registry)}
    assert (by_id["interfax"].relayed_by, by_id["interfax"].original) == (None, False)
    assert (by_id["tass"].relayed_by, by_id["tass"].original) == ("interfax", False)
    assert (by_id["ria_novosti"].relayed_by, by_id["ria_novosti"].original) == ("tass", True)


def test_german_relay_names_the_relaying_outlet(registry: Registry) -> None:
    text = "Yonhap berichtete unter Berufung auf KCNA, dass Kim die Fabrik besucht habe."
    by_id = {c.outlet_id: c for c in extract_citations(text, "de", registry)}
    assert by_id["kcna"].relayed_by == "yonhap" and by_id["kcna"].original
    assert by_id["kcna"].rule == "de.unter_berufung" and by_id["kcna"].cue == "unter Berufung auf"
    assert not by_id["yonhap"].original


def test_offsets_sentences_and_rules_are_exact(registry: Registry) -> None:
    text = "Kim reiste ab. Laut der offiziellen Nachrichtenagentur KCNA plant er neue Tests."
    (citation,) = extract_citations(text, "de", registry)
    assert text[citation.start:citation.end] == citation.source_name == "KCNA"
    assert citation.sentence_start == 15
    assert text[citation.sentence_start:].startswith(citation.sentence)
    assert (citation.rule, citation.cue, citation.zone) == ("de.laut", "Laut", "body")
    assert citation.confidence >= 0.9


def test_publisher_naming_itself_is_a_mention(registry: Registry) -> None:
    text = "Seoul (dpa) - Wie dpa berichtete, ist das Treffen abgesagt."
    citations = extract_citations(text, "de", registry, publisher_id="dpa")
    assert {c.kind for c in citations} == {"mention"}
    assert {c.rule for c in citations} == {"self.publisher"}


def test_zones_passed_in_take_their_kind(registry: Registry) -> None:
    text = "Kim reiste nach Moskau."
    zones = [Zone("caption", "Kim in Moskau. Reuters"),
             Zone("byline", "Von Anna Muster, dpa"),
             Zone("related_links", "BBC: Kim reist ab")]
    citations = extract_citations(text, "de", registry, zones=zones)
    assert _found(citations) == {("reuters", IMAGE), ("dpa", WIRE), ("bbc", RELATED)}
    byline = next(c for c in citations if c.outlet_id == "dpa")
    assert byline.zone == "byline"
    assert "Von Anna Muster, dpa"[byline.start:byline.end] == "dpa"


def test_zone_located_in_the_text_keeps_text_offsets(registry: Registry) -> None:
    text = "Kim reiste ab.\nFoto: Reuters"
    zones = [Zone("image_credit", "Foto: Reuters", 15, 28)]
    (citation,) = extract_citations(text, "de", registry, zones=zones)
    assert (citation.kind, citation.start, citation.end) == (IMAGE, 21, 28)


def test_a_credit_seen_in_two_zones_is_recorded_once(registry: Registry) -> None:
    text = "Kim inspected the submarine."
    zones = [Zone("caption", "Kim at the shipyard. Photo: KCNA via AP"),
             Zone("image_credit", "Photo: KCNA via AP")]
    citations = extract_citations(text, "en", registry, zones=zones)
    assert sorted((c.outlet_id, c.kind) for c in citations) == [("ap", IMAGE), ("kcna", IMAGE)]


def test_a_zone_repeating_a_credit_of_the_body_adds_nothing(registry: Registry) -> None:
    text = "Kim inspected the submarine.\nPhoto: KCNA via AP"
    zones = [Zone("caption", "Kim at the shipyard.  Photo: KCNA via AP")]
    citations = extract_citations(text, "en", registry, zones=zones)
    assert sorted((c.outlet_id, c.kind, c.zone) for c in citations) == [
        ("ap", IMAGE, "image_credit"), ("kcna", IMAGE, "image_credit")]
    assert all(text[c.start:c.end] == c.source_name for c in citations)


def test_the_label_of_a_credit_zone_is_no_newspaper(registry: Registry) -> None:
    text = "Bild: KCNA via AFP\nKim in Moskau."
    zones = [Zone("image_credit", "Bild: KCNA via AFP")]
    citations = extract_citations(text, "de", registry, zones=zones)
    assert [(c.outlet_id, c.kind) for c in citations] == [("kcna", IMAGE), ("afp", IMAGE)]
    # the newspaper named in a credit is still found
    credit = extract_citations("Kim in Moskau.\nFoto: Bild", "de", registry,
                               zones=[Zone("image_credit", "Foto: Bild")])
    assert [(c.outlet_id, c.kind) for c in credit] == [("bild", IMAGE)]


def test_two_credits_in_different_places_stay_two(registry: Registry) -> None:
    text = "Kim in Moskau.\nFoto: dpa\nPutin in Pjöngjang.\nFoto: dpa"
    citations = extract_citations(text, "de", registry)
    assert [(c.outlet_id, c.kind) for c in citations] == [("dpa", IMAGE), ("dpa", IMAGE)]


def test_the_publishers_own_network_is_no_citation(registry: Registry) -> None:
    text = "Die Nachrichtenagentur Yonhap berichtete, Nordkorea habe Raketen geliefert."
    zones = [Zone("byline", "Von Jana Lindholm, ARD-Studio Tokio")]
    citations = extract_citations(text, "de", registry, zones=zones, publisher_id="tagesschau")
    by_id = {c.outlet_id: c for c in citations}
    assert (by_id["ard"].kind, by_id["ard"].rule) == ("mention", "self.publisher")
    assert by_id["yonhap"].kind == CLAIM
    assert cited_outlets(citations) == ["yonhap"]
    # another publisher quoting the same byline credits ARD
    other = extract_citations(text, "de", registry, zones=zones, publisher_id="spiegel")
    assert cited_outlets(other) == ["ard", "yonhap"]


def test_a_sibling_in_the_publishers_network_is_cited(registry: Registry) -> None:
    text = "Nach Recherchen des WDR liefert Nordkorea Granaten."
    assert registry.get("wdr").parent == registry.get("tagesschau").parent == "ard"
    citations = extract_citations(text, "de", registry, publisher_id="tagesschau")
    assert cited_outlets(citations) == ["wdr"]
    # the network itself publishing its member's research names itself
    assert cited_outlets(extract_citations(text, "de", registry, publisher_id="ard")) == []


@pytest.mark.parametrize(("text", "count"), [
    ("Am 14. Januar traf er ein. Danach reiste er ab.", 2),
    ("Das Gesetz Nr. 5 gilt z. B. für Dr. Kim. Er widersprach.", 2),
    ("Er kam 2006. Danach ging er.", 2),
    ("Die Zahl stieg um ca. zehn Prozent.", 1),
    ("The U.S. Army said it would leave. Officials disagreed.", 2),
    ("He lives in the U.S. The move surprised him.", 2),
    ("Mr. Kim met Sen. Ted Cruz on Jan. 5 in Washington.", 1),
    ("„Wir sind bereit.“ Das sagte er.\nNeue Zeile", 3),
])
def test_sentences_split_at_real_boundaries(text: str, count: int) -> None:
    sentences = split_sentences(text)
    assert len(sentences) == count, [s.text for s in sentences]
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text


# ---- the seed articles ------------------------------------------------------------------------

SEED_EXPECTED = {
    "000": ["NHK", "FT"],
    "001": ["KCNA", "vienna.at", "tagesschau.de"],
    "002": ["KCNA", "Yonhap"],
    "003": [],
    "004": ["TASS", "KCNA", "Al Jazeera"],
}


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_cited_outlets(registry: Registry, prefix: str) -> None:
    citations = extract_citations(_seed(prefix), "de", registry)
    expected = sorted(registry.by_name(name).id for name in SEED_EXPECTED[prefix])
    assert cited_outlets(citations) == expected, "\n".join(
        f"{c.source_name!r} {c.kind} {c.rule}" for c in citations)


def test_seed_000_related_links_are_not_citations(registry: Registry) -> None:
    citations = extract_citations(_seed("000"), "de", registry)
    related = {c.source_id for c in citations if c.kind == RELATED}
    assert related == {"isw", "un", "nato"}
    assert not [c for c in citations if c.source_id and c.counts]


def test_seed_001_source_box(registry: Registry) -> None:
    citations = extract_citations(_seed("001"), "de", registry)
    boxed = {c.source_name for c in citations if c.kind == BOX}
    assert boxed == {"vienna.at", "tagesschau.de"}


def test_seed_002_image_credit_is_not_a_citation(registry: Registry) -> None:
    citations = extract_citations(_seed("002"), "de", registry)
    (credit,) = [c for c in citations if c.kind == IMAGE]
    assert credit.outlet_id == "east_news" and not credit.counts


def test_seed_003_credits_and_non_outlet_sources(registry: Registry) -> None:
    citations = extract_citations(_seed("003"), "de", registry)
    assert {c.outlet_id for c in citations if c.kind == IMAGE} == {"getty_images",
                                                                   "channel_24_ua"}
    sources = {(c.source_id, c.source_type) for c in citations if c.counts}
    assert sources == {("hur", "intelligence"), ("white_house", "authority")}
    assert all(c.outlet_id is None for c in citations if c.counts)


def test_seed_004_quotes(registry: Registry) -> None:
    citations = extract_citations(_seed("004"), "de", registry)
    kinds = {c.outlet_id: c.kind for c in citations if c.outlet_id}
    assert kinds == {"tass": QUOTE, "kcna": QUOTE, "al_jazeera": CLAIM}


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_zones_of_plain_text_extraction_change_no_citation(registry: Registry,
                                                            prefix: str) -> None:
    """One zone detector: the zones extract_plain reports are found again, not read twice."""
    ext = extract_plain(_seed(prefix))
    assert all(z.rule for z in ext.zones)
    assert extract_citations(ext.text, "de", registry, zones=ext.zones) == \
        extract_citations(ext.text, "de", registry)


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_the_layout_of_extraction_is_completed_not_read_again(registry: Registry, prefix: str,
                                                              monkeypatch) -> None:
    """Citation extraction adds the outlet-aware rules to extraction's reading of the text."""
    ext = extract_plain(_seed(prefix))
    expected = extract_citations(ext.text, "de", registry, zones=ext.zones)

    def read_again(text: str):
        raise AssertionError("the text was read again")

    monkeypatch.setattr(attribution, "read_layout", read_again)
    assert extract_citations(ext.text, "de", registry, zones=ext.zones,
                             layout=ext.layout) == expected


def test_a_markup_zone_in_the_text_comes_before_the_detector(registry: Registry) -> None:
    text = "Kim reiste ab.\nQuelle: APA/Reuters"
    plain = extract_citations(text, "de", registry)
    assert {(c.outlet_id, c.rule) for c in plain} == {("apa", "box.quelle"),
                                                      ("reuters", "box.quelle")}
    markup = [Zone("source_box", "Quelle: APA/Reuters")]
    read = extract_citations(text, "de", registry, zones=markup)
    assert {(c.outlet_id, c.rule) for c in read} == {("apa", "zone.source_box"),
                                                     ("reuters", "zone.source_box")}


# ---- page furniture ---------------------------------------------------------------------------


def test_an_author_bio_names_employers_not_sources(registry: Registry) -> None:
    text = ("The harbour was closed after the storm.\nJane Doe is a bestselling author and "
            "writes for the New York Times and the Guardian.")
    (bio,) = extract_citations(text, "en", registry)
    assert (bio.outlet_id, bio.kind, bio.zone) == ("nyt", "mention", "author_bio")
    # "writes for" in running text is an employer too, not a cue
    text = "Mr. Smith, who writes for the Financial Times, said the deal was dead."
    assert not [c for c in extract_citations(text, "en", registry) if c.counts]


def test_share_buttons_and_more_links_never_cite(registry: Registry) -> None:
    text = ("Der Brand ist gelöscht.\nTeilen\nFacebook Twitter WhatsApp Flipboard E-Mail\n"
            "Via Flipboard teilen\nmehr")
    found = extract_citations(text, "de", registry)
    assert found and not [c for c in found if c.counts]
    assert {c.zone for c in found} == {"share"}


def test_a_stock_photo_credit_is_an_image_credit(registry: Registry) -> None:
    text = "Der Brand ist gelöscht.\nFoto: stock.adobe.com/Max Muster"
    assert not [c for c in extract_citations(text, "de", registry) if c.counts]


def test_a_furniture_class_on_a_container_is_read_as_body(registry: Registry) -> None:
    body = "Laut Reuters ist der Hafen geschlossen. " * 20
    found = extract_citations(body, "de", registry, zones=[Zone("share", body.strip())])
    assert {c.kind for c in found} == {CLAIM}
    short = extract_citations("Teilen auf WhatsApp", "de", registry,
                              zones=[Zone("author_bio", "Teilen auf WhatsApp")])
    assert not [c for c in short if c.counts]


def test_language_and_country_reach_the_registry(registry: Registry) -> None:
    # the publisher's country is passed on; with it or without, a known name stays known
    text = "Laut der Nachrichtenagentur dpa ist der Hafen geschlossen."
    for country in (None, "DE", "AT"):
        found = extract_citations(text, "de-DE", registry, country=country)
        assert {(c.outlet_id, c.kind) for c in found} == {("dpa", CLAIM)}


def test_an_author_box_marked_up_as_byline_is_a_bio(registry: Registry) -> None:
    bio = ("He is a former editor-in-chief of Mashable and has appeared on CNN, CNBC and the "
           "BBC to talk about phones and laptops.")
    found = extract_citations("The phone is fast.", "en", registry, zones=[Zone("byline", bio)])
    assert found and not [c for c in found if c.counts]
    credit = extract_citations("The phone is fast.", "en", registry,
                               zones=[Zone("byline", "By Jane Doe and AFP")])
    assert cited_outlets(credit) == ["afp"]


def test_a_common_word_name_alone_on_a_line_is_no_byline(registry: Registry) -> None:
    text = "Panorama\nDer Hafen ist wieder offen. Die Fähren fahren.\nBild"
    assert not [c for c in extract_citations(text, "de", registry) if c.counts]
    text = "Von Bild\nDer Hafen ist wieder offen. Die Fähren fahren."
    assert cited_outlets(extract_citations(text, "de", registry)) == ["bild"]


def test_a_stock_photo_agency_in_a_byline_credits_the_picture(registry: Registry) -> None:
    found = extract_citations("The beach was empty.", "en", registry,
                              zones=[Zone("byline", "Max Muster - stock.adobe.com")])
    assert {(c.outlet_id, c.kind) for c in found} == {("adobe_stock", IMAGE)}


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("By Jane Doe | Reuters\nThe harbour reopened on Monday. Ferries run again.", "en",
     ["reuters"]),
    ("Von Max Muster und AFP\nDer Hafen ist offen. Die Fähren fahren wieder.", "de", ["afp"]),
    ("Berlin (AFP) Der Hafen ist wieder offen.", "de", ["afp"]),
    ("Der Österreichische Rundfunk (ORF) Der Sender feiert.", "de", []),
    ("By Jane Doe and John Smith\nThe harbour reopened on Monday. Ferries run again.", "en", []),
])
def test_bylines_and_bare_datelines(registry: Registry, text: str, language: str,
                                    expected: list[str]) -> None:
    found = [c for c in extract_citations(text, language, registry) if c.counts]
    assert cited_outlets(found) == expected
    assert all(c.kind == WIRE for c in found)


# ---- fast paths pinned against their references on real text ------------------------------

_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _real_texts() -> list[str]:
    """Real article texts (seeds, plain texts, wire feed) and lines written for these tests."""
    import json

    texts = [p.read_text(encoding="utf-8") for p in sorted((_FIXTURES / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((_FIXTURES / "texts").iterdir())]
    for line in (_FIXTURES / "feeds" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        texts.append(entry.get("text") or entry["html"])
    return texts + [
        "Laut dem Kreml und der U.S. Army sowie dem BND, des Kremls und der UN: un, Un, US.",
        "Nach Angaben des russischen Verteidigungsministeriums meldete das Weiße Haus, so die "
        "WHO; the who and the State Department's statement, per the Pentagon.",
        "Der ſtate department und das İnnenministerium sagten dem Bundesamt für Verfassungsschutz "
        "nichts.\nLaut ISW-Analyse (HUR) hat die Ukraine... Dr. Smith. Nr. 5 am 14. Januar.",
    ]


def test_source_starts_from_the_automaton_find_what_token_by_token_finds() -> None:
    from provenance.citations import default_sources
    from provenance.citations import sources as S

    index = default_sources()
    for text in _real_texts():
        fast = index.find(text)
        starts = index._starts.find
        try:
            index._starts.find = lambda _text: None  # the token-by-token way
            reference = index.find(text)
        finally:
            del index._starts.find
            assert index._starts.find == starts
        assert fast == reference, text[:60]
    assert [h.name for h in index.find(_real_texts()[-3])] == [
        "Kreml", "U.S. Army", "BND", "UN"]
    assert S._StartFinder({("UN", False)}).find("under UN un") == [6]


def test_sentence_finder_gives_the_sentence_split_sentences_gives() -> None:
    from provenance.citations.sentences import SentenceFinder, sentence_at

    for text in _real_texts():
        sentences = split_sentences(text)
        starts = [s.start for s in sentences]
        finder = SentenceFinder(text)
        for pos in range(0, len(text), 7):
            assert finder.at(pos) == sentence_at(sentences, starts, pos, text), (text[:40], pos)


def test_cue_prefilter_never_skips_a_cue_that_matches() -> None:
    from provenance.citations import cues as C
    from provenance.citations import cues_right as R
    from provenance.citations.classify import _cue_words, cues_for
    from provenance.citations.prefilter import required_strings
    from provenance.config import CUE_WINDOW

    cues = (*C.LEFT_CUES, *C.WEAK_LEFT_CUES)
    assert required_strings(next(c for c in cues if c.rule == "de.laut").pattern) == (
        "Laut", "laut")
    assert required_strings(R.ZUFOLGE_RIGHT) == ("zufolge",)
    matched = 0
    for text in _real_texts():
        for sentence in split_sentences(text):
            # the left context of a name: up to the start of a word
            ends = [i for i in range(1, len(sentence.text)) if not sentence.text[i - 1].isalnum()]
            for end in ends:
                left = sentence.text[max(0, end - CUE_WINDOW):end]
                possible = _cue_words(cues_for("pl")).possible(left)
                for cue in cues:
                    if cue.pattern.search(left):
                        matched += 1
                        assert id(cue.pattern) in possible, (cue.rule, left)
    assert matched > 100


def test_a_full_source_memo_is_forgotten_and_finds_the_same_names(monkeypatch) -> None:
    """The source matcher's memos (prefix patterns, tokens) are bounded by SOURCE_TOKEN_MEMO:
    with room for two entries they are emptied again and again, and find the same sources."""
    from provenance.citations import sources as source_names
    text = ("Das Robert Koch-Institut meldete am Montag neue Zahlen, wie das Bundesministerium "
            "für Gesundheit mitteilte. The White House said the Pentagon and the World Health "
            "Organization had been told; NASA declined to comment.")
    expected = source_names.SourceIndex.load().find(text)
    assert len(expected) >= 3
    monkeypatch.setattr(source_names, "SOURCE_TOKEN_MEMO", 2)
    small = source_names.SourceIndex.load()
    assert small.find(text) == expected
    assert len(small._merged) <= 2 and len(small._by_token) <= 2
