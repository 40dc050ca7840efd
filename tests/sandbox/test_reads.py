"""Reads are answered while a write holds the database: one account's listing never waits
for another request's transaction."""

import sqlite3

from django.db import connection


def test_a_listing_is_answered_while_a_write_holds_the_database(seeded):
    writer = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # as a long write in another request would
        answer = seeded.get("/contacts", params={"limit": 1}, timeout=5)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert answer.status_code == 200
    assert answer.json()["meta"]["total"] == "40"
