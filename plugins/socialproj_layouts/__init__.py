"""Importers for the programme-specific layouts of real documents.

- ``robg-card`` (:mod:`.robg_card`): Interreg Romania-Bulgaria project cards;
- ``cbc-fiche`` (:mod:`.cbc_fiche`): fiches of IPA and cross-border programmes;
- ``bg-news`` (:mod:`.bg_news`): Bulgarian news items and municipal press releases.

Each reads one document into one project, keeps the raw text of every field it read in
``source.fields``, records what was odd in ``source.findings``, and never reports a value
the text does not state as stated.
"""
