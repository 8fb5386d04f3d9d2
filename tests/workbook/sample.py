"""A small, valid federation workbook as CSV text: two municipalities and one of everything.

Tests write it to a folder, break one thing, and import it.
"""

from __future__ import annotations

from pathlib import Path

SAMPLE: dict[str, str] = {
    "federation": (
        "Namn;Organisationsnummer;Gatuadress;Postnummer;Ort;E-post;Peppol-ID;Bankgiro;"
        "Aktiveringsgräns (prisbasbelopp);Minsta nyttjandetid (månader);"
        "Betalningsvillkor (dagar);Fakturaprefix;Kundfordringskonto;Momskonto;Intäktskonto\n"
        "Testförbundet;222000-0018;Storgatan 1;123 45;Teststad;ekonomi@test.example;;123-4567;"
        "1;36;30;F;1510;2611;3490\n"
    ),
    "members": (
        "Kod;Namn;Organisationsnummer;Peppol-ID;Värdkommun;Leverantörsskuldskonto;"
        "Konto för ingående moms;Kostnadskonto;Illustrativ\n"
        "alfa;Alfa kommun;212000-0019;;nej;2440;2641;6540;nej\n"
        "beta;Beta kommun;212000-0027;;nej;25110;16410;73300;nej\n"
    ),
    "organisations": (
        "Kod;Medlem;Namn;Typ;Organisationsnummer;Köparreferens;Peppol-ID;"
        "Tar emot medlemsfakturor;Leverantörsskuldskonto;Konto för ingående moms;Kostnadskonto;"
        "Illustrativ\n"
        "alfa-ks;alfa;Kommunstyrelsen;administration;;A-100;;ja;;;;nej\n"
        "beta-skola;beta;Betaskolan;school;;B-200;;ja;;;;nej\n"
    ),
    "allocation_keys": (
        "Kod;Namn;Enhet;Mätdatum;Årsförskjutning;Beskrivning\n"
        "anvandare;Användare;count;01-01;-1;Användare 1 januari året före\n"
        "fast;Fast andel;percent;01-01;0;\n"
    ),
    "key_snapshots": (
        "Nyckel;Medlem;Datum;Värde;Illustrativ\n"
        "anvandare;alfa;2025-01-01;600;nej\n"
        "anvandare;beta;2025-01-01;400;nej\n"
        "fast;alfa;2026-01-01;60;nej\n"
        "fast;beta;2026-01-01;40;nej\n"
    ),
    "decisions": (
        "Referens;Diarienummer;Datum;Paragraf;Beslutsorgan;Rubrik;Beslutstext\n"
        "DIR 2025-02-27 § 7;TEST 2025/3;2025-02-27;§ 7;board;Budget 2026;Budgeten fastställs.\n"
    ),
    "governance_objects": (
        "Kod;Namn;Kategori;Omfattning;Objektägare;Objektägarens e-post\n"
        "klient;Klient;infrastructure;Datorer och telefoner;Kim Ägare;kim@test.example\n"
    ),
    "cost_pools": ("Kod;Namn;Typ;Fördelas efter;Beskrivning\npersonal;Personal;staff;percent;\n"),
    "products": (
        "Kod;Namn;Förvaltningsobjekt;Intäktskategori;Prismodell;Enhet;Fördelningsnyckel;Momssats;"
        "Avrundning;Påslag;Hyresgrund;Faktureras;Fakturering i;Fakturamottagare;Enhetskod;"
        "Avräkningsnyckel;Intäktskonto;Medlemmarnas kostnadskonto;Innehåll\n"
        "datorer-hyra;Datorer hyra;klient;usage_based;per_unit;enhet/månad;;25;ore;0;"
        "own_capital_cost;month;arrears;organisation;EA;;3440;5252;Hyra av dator\n"
        "grundanslag;Grundanslag;;base_grant;allocated;;fast;25;ore;0;own_capital_cost;"
        "quarter;advance;member;C62;anvandare;3410;;\n"
    ),
    "budgets": ("År;Status;Beslut\n2026;adopted;DIR 2025-02-27 § 7\n"),
    "budget_years": (
        "Budget;År;Löneökning;Prisindex;Semesterersättning;Arbetsgivaravgifter;Pension;"
        "Försäkring;Frånvaroavdrag;Inhyrd personal;Övriga personalkostnader\n"
        "2026;2026;0;0;1,38;31,42;9,906;0,204;3,8;0,00;0,00\n"
        "2026;2027;3;2;1,38;31,42;9,906;0,204;3,8;0,00;0,00\n"
    ),
    "staff_posts": (
        "Budget;Kod;Befattning;Tjänstgöringsgrad;Månadslön;Illustrativ\n"
        "2026;tekniker;Tekniker;100;40000,00;nej\n"
    ),
    "direct_costs": (
        "Budget;Produkt;År;Typ;Belopp;Illustrativ\n"
        "2026;datorer-hyra;2026;other;1000000,00;nej\n"
        "2026;datorer-hyra;2027;other;1030000,00;nej\n"
        "2026;grundanslag;2026;other;500000,00;nej\n"
    ),
    "cost_pool_lines": ("Budget;Kostnadspool;År;Belopp\n2026;personal;2026;750000,00\n"),
    "overhead_shares": (
        "Budget;År;Kostnadspool;Produkt;Andel;Illustrativ\n"
        "2026;2026;personal;datorer-hyra;30;nej\n"
        "2026;2026;personal;grundanslag;70;nej\n"
    ),
    "consumptions": (
        "Budget;År;Konsument;Levererande produkt;Andel;Illustrativ\n"
        "2026;2026;datorer-hyra;grundanslag;10;nej\n"
    ),
    "volumes": (
        "Budget;Produkt;Medlem;År;Kvantitet;Illustrativ\n"
        "2026;datorer-hyra;alfa;2026;1200;nej\n"
        "2026;datorer-hyra;beta;2026;800;nej\n"
    ),
    "pricing_guidelines": (
        "Kod;Namn;Riktlinje;Beslut;Objektägaren får ändra\n"
        "sjalvkostnad;Självkostnad;Priset är självkostnaden.;DIR 2025-02-27 § 7;ja\n"
    ),
    "product_prices": (
        "Produkt;Gäller från;Pris;Riktlinje;Beslut\ndatorer-hyra;2026-01-01;600,00;sjalvkostnad;\n"
    ),
    "price_base_amounts": ("År;Belopp\n2025;58800,00\n2026;59200,00\n"),
    "asset_types": (
        "Kod;Namn;Avskrivningstid (månader);Aktiveringsregel;Direktköp tillåtet;"
        "Planerad tillväxt;Hyresprodukt;Supportprodukt;Licensprodukt;Vid förtida återlämning;"
        "Debiteras per enhet;Kostnadspool;Beskrivning\n"
        "dator;Dator;48;following_month;nej;0;datorer-hyra;;;keep_in_pool;ja;;\n"
    ),
    "investments": (
        "Kod;Namn;Tillgångstyp;Avskrivningstid (månader);Omfattning;Medlem;Fördelningsnyckel;"
        "Finansiering;Utvecklingspott;Beslutad;Beslut;Beskrivning\n"
        "datorer;Datorer;dator;;common;;anvandare;loan;nej;nej;;\n"
        "datorer-alfa;Datorer Alfa;dator;36;member;alfa;;loan;nej;nej;;\n"
        "pott;Utvecklingspott;dator;;common;;anvandare;loan;ja;nej;;\n"
    ),
    "investment_lines": (
        "Budget;Investering;År;Belopp\n"
        "2026;datorer;2025;900000,00\n"
        "2026;datorer;2026;1000000,00\n"
        "2026;datorer-alfa;2026;50000,00\n"
        "2026;pott;2026;500000,00\n"
    ),
    "loans": (
        "Kod;Långivare;Syfte;Belopp;Upplånat;Ränta;Planerat;Beslut;Beskrivning\n"
        "lan-2025;Kommuninvest;investments;1000000,00;2025-06-30;3,5;nej;;\n"
    ),
    "loan_amortisations": (
        "Lån;Datum;Belopp\nlan-2025;2025-12-31;250000,00\nlan-2025;2026-12-31;250000,00\n"
    ),
    "guarantee_frames": ("Gäller från;Belopp;Beslut;Beskrivning\n2025-01-01;5000000,00;;\n"),
    "assets": (
        "Inventarienummer;Tillgångstyp;Modell;Serienummer;Leverantör;Inköp;Anskaffad;"
        "Anskaffningsvärde;"
        "Innehavare;Hyra från;Hyra till;Status;Avyttrad;Försäljningsintäkt;Direktköp;Beslut;"
        "Investering\n"
        "IT-000001;dator;Elitebook 840;SN001;Atea;;2025-03-14;65000,00;alfa-ks;2025-04-01;;"
        "leased;;;nej;;datorer\n"
        "IT-000002;dator;Elitebook 840;SN002;Atea;;2025-03-14;65000,00;;;;"
        "in_stock;;;nej;;datorer\n"
        "IT-000003;dator;Latitude 7450;SN003;Dell;;2026-01-20;70000,00;beta-skola;2026-02-01;"
        "2026-06-30;sold;2026-06-30;20000,00;nej;;\n"
    ),
}


def write_sample(folder: Path, **replace: str) -> Path:
    """Write the sample workbook as CSV files; ``replace`` swaps a whole sheet's text."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**SAMPLE, **replace}.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder
