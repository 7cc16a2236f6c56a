"""Nhắc việc: the watchlist of near-due and overdue dossiers and the
scheduled reminder digests sent to handlers and the leaders in charge.

Modules:
    watchlist  what is near due / overdue, grouped by handler and by agency
    contacts   staff contacts and agency leaders (operational store), import
    settings   the office's reminder settings (operational store)
    templates  editable message templates (``string.Template``, no eval)
    sms        SMS encoding, segment counting, unaccented text
    digest     one message per recipient, built from the watchlist
    channels   e-mail (SMTP), HTTP webhook (SMS gateways, Zalo OA), file
    schedule   slots: times of day on working weekdays
    send       delivery with retries, the send log, ``run`` and ``serve``
    cli        ``python -m analytics remind ...``
"""
