"""The PostgreSQL path of the import (ADR 0302): each batch is COPYed into a temporary
table, then three set-based statements upsert households, residents (``ON CONFLICT
(id_hash)``) and heads. Identifiers are constants; data goes in only through COPY."""

from __future__ import annotations

from typing import Any

from django.db import connection

from shequ.people.importer import Row

SQL_STAGE = """
CREATE TEMP TABLE people_stage (line int, name text, id_hash text, id_cipher text,
  id_masked text, birth_date date, sex text, phone_cipher text, phone_last4 text,
  area_code text, community_code text, registered_here bool, lives_here bool,
  residence_since date, disability bool, low_income bool, registered_address text,
  actual_address text, household text, head bool, household_address text,
  sensitive bool) ON COMMIT DROP"""
SQL_COPY = """
COPY people_stage (line, name, id_hash, id_cipher, id_masked, birth_date, sex, phone_cipher,
  phone_last4, area_code, community_code, registered_here, lives_here, residence_since,
  disability, low_income, registered_address, actual_address, household, head,
  household_address, sensitive) FROM STDIN"""
SQL_HOUSEHOLDS = """
INSERT INTO people_household (number, area_code, community_code, address, created_at)
SELECT DISTINCT ON (community_code, household) household, area_code, community_code,
       household_address, now()
  FROM people_stage WHERE household <> ''
 ORDER BY community_code, household, head DESC
ON CONFLICT (community_code, number) DO UPDATE SET area_code = EXCLUDED.area_code,
  address = CASE WHEN EXCLUDED.address <> '' THEN EXCLUDED.address
                 ELSE people_household.address END"""
# ``{sensitive}``: the rows of someone who may write the sensitive fields, or not; the
# latter leave an existing record's values as they are (ADR 0307)
SQL_RESIDENTS_TEMPLATE = """
WITH upserted AS (
INSERT INTO people_resident (name, id_hash, id_cipher, id_masked, birth_date, sex,
  phone_cipher, phone_last4, area_code, community_code, registered_here, lives_here,
  residence_since, disability, low_income, registered_address, actual_address, household_id,
  moved_out_on, deprived_of_political_rights, created_at, updated_at)
SELECT s.name, s.id_hash, s.id_cipher, s.id_masked, s.birth_date, s.sex, s.phone_cipher,
       s.phone_last4, s.area_code, s.community_code, s.registered_here, s.lives_here,
       s.residence_since, s.disability, s.low_income, s.registered_address, s.actual_address,
       h.id, NULL, false, now(), now()
  FROM people_stage s LEFT JOIN people_household h
    ON h.community_code = s.community_code AND h.number = s.household
 WHERE s.sensitive = {sensitive}
ON CONFLICT (id_hash) DO UPDATE SET name = EXCLUDED.name,
  phone_cipher = EXCLUDED.phone_cipher, phone_last4 = EXCLUDED.phone_last4,
  area_code = EXCLUDED.area_code, community_code = EXCLUDED.community_code,
  registered_here = EXCLUDED.registered_here, lives_here = EXCLUDED.lives_here,
  residence_since = EXCLUDED.residence_since, {sensitive_set}registered_address = EXCLUDED.registered_address,
  actual_address = EXCLUDED.actual_address, household_id = EXCLUDED.household_id,
  moved_out_on = NULL, updated_at = now()
RETURNING (xmax = 0) AS inserted)
SELECT count(*) FILTER (WHERE inserted) FROM upserted"""
SQL_RESIDENTS = SQL_RESIDENTS_TEMPLATE.format(
    sensitive="true",
    sensitive_set="disability = EXCLUDED.disability, low_income = EXCLUDED.low_income,\n  ")
SQL_RESIDENTS_KEEP_SENSITIVE = SQL_RESIDENTS_TEMPLATE.format(sensitive="false", sensitive_set="")
SQL_CURRENT_HEADS = """
SELECT h.community_code, h.number, r.id_hash, r.name
  FROM people_household h JOIN people_resident r ON r.id = h.head_id
 WHERE r.moved_out_on IS NULL
   AND (h.community_code, h.number) IN (SELECT * FROM unnest(%s::text[], %s::text[]))"""
# a head who now heads another household stops heading the old one; unchanged heads are
# not rewritten (re-imports stay cheap)
SQL_CLEAR_HEADS = """
UPDATE people_household h SET head_id = NULL
  FROM people_stage s JOIN people_resident r USING (id_hash)
 WHERE s.head AND h.head_id = r.id
   AND (h.community_code <> s.community_code OR h.number <> s.household)"""
SQL_SET_HEADS = """
UPDATE people_household h SET head_id = r.id
  FROM people_stage s JOIN people_resident r USING (id_hash)
 WHERE s.head AND h.community_code = s.community_code AND h.number = s.household
   AND h.head_id IS DISTINCT FROM r.id"""



def write_batch(parsed: list[Row], sealed: list[dict[str, Any]]) -> tuple[int, int, int]:
    """PostgreSQL: COPY the batch into a temporary table, then three set-based
    statements (households, residents, heads). ADR 0302."""
    with connection.cursor() as cur:
        cur.execute(SQL_STAGE)
        with cur.copy(SQL_COPY) as copy:
            for r, v in zip(parsed, sealed, strict=True):
                copy.write_row((r.line, v["name"], v["id_hash"], v["id_cipher"], v["id_masked"],
                                v["birth_date"], v["sex"], v["phone_cipher"], v["phone_last4"],
                                v["area_code"], v["community_code"], v["registered_here"],
                                v["lives_here"], v["residence_since"], v["disability"],
                                v["low_income"], v["registered_address"], v["actual_address"],
                                r.household, r.head, r.household_address,
                                v["write_sensitive"]))
        cur.execute(SQL_HOUSEHOLDS)
        households = cur.rowcount
        inserted = 0
        for sql in (SQL_RESIDENTS, SQL_RESIDENTS_KEEP_SENSITIVE):
            if any(v["write_sensitive"] is (sql is SQL_RESIDENTS) for v in sealed):
                cur.execute(sql)
                row = cur.fetchone()
                inserted += int(row[0]) if row else 0
        existing = len(parsed) - inserted
        cur.execute(SQL_CLEAR_HEADS)
        cur.execute(SQL_SET_HEADS)
        cur.execute("DROP TABLE people_stage")  # also inside an outer transaction
    return len(parsed) - existing, existing, households
