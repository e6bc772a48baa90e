"""The search index's tables, columns, triggers and indexes, per database.

Written as idempotent statements (``IF NOT EXISTS``, ``OR REPLACE``) and applied
by migration ``articles.0009_search_index``, and on SQLite again after every
``migrate``: SQLite rebuilds a table to alter it, which drops the triggers on
it, so a later migration of ``articles_article`` must not lose them unnoticed.
No model imports: migrations call this.
"""

SQLITE = [
    # rowid = articles_article.id. Stemming (porter) over Unicode words with the
    # accents removed; prefix indexes make "spirid*" as quick as a whole word.
    """CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5(
        headline, names, dek, body,
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '2 3'
    )""",
    """CREATE TRIGGER IF NOT EXISTS articles_search_delete
        AFTER DELETE ON articles_article
        BEGIN DELETE FROM articles_search WHERE rowid = old.id; END""",
    """CREATE TRIGGER IF NOT EXISTS articles_search_withdraw
        AFTER UPDATE OF status ON articles_article WHEN new.status <> 'published'
        BEGIN DELETE FROM articles_search WHERE rowid = new.id; END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_search_withdraw",
    "DROP TRIGGER IF EXISTS articles_search_delete",
    "DROP TABLE IF EXISTS articles_search",
]

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # English stemming and stop words, with accents removed first.
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'newsroom_search') THEN
            CREATE TEXT SEARCH CONFIGURATION newsroom_search (COPY = pg_catalog.english);
            ALTER TEXT SEARCH CONFIGURATION newsroom_search
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
        END IF;
    END $$""",
    "ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_document tsvector",
    """CREATE INDEX IF NOT EXISTS article_search_document_idx
        ON articles_article USING gin (search_document)""",
    """CREATE OR REPLACE FUNCTION articles_search_withdraw() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN NEW.search_document := NULL; RETURN NEW; END $$""",
    """CREATE OR REPLACE TRIGGER articles_search_withdraw
        BEFORE UPDATE OF status ON articles_article
        FOR EACH ROW WHEN (NEW.status <> 'published')
        EXECUTE FUNCTION articles_search_withdraw()""",
    # Names: trigram indexes on each entity's folded names and aliases (whole-word
    # regular expressions use them), and every word of every name in one small
    # table with a trigram index, for near misses ("spiradakos" -> "spiridakos").
    """CREATE INDEX IF NOT EXISTS person_search_names_trgm
        ON people_person USING gin (search_names gin_trgm_ops)""",
    """CREATE INDEX IF NOT EXISTS character_search_names_trgm
        ON people_character USING gin (search_names gin_trgm_ops)""",
    """CREATE INDEX IF NOT EXISTS show_search_names_trgm
        ON shows_show USING gin (search_names gin_trgm_ops)""",
    "CREATE TABLE IF NOT EXISTS search_nameword (word text PRIMARY KEY)",
    """CREATE INDEX IF NOT EXISTS search_nameword_trgm
        ON search_nameword USING gin (word gin_trgm_ops)""",
    # Words are only ever added (a word no name uses any more finds no one).
    """CREATE OR REPLACE FUNCTION search_nameword_add() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO search_nameword (word)
            SELECT DISTINCT w FROM regexp_split_to_table(NEW.search_names, '[^[:alnum:]]+') AS w
            WHERE length(w) >= 2
            ON CONFLICT DO NOTHING;
            RETURN NEW;
        END $$""",
    *(
        f"""CREATE OR REPLACE TRIGGER {table}_search_nameword
            AFTER INSERT OR UPDATE OF search_names ON {table}
            FOR EACH ROW EXECUTE FUNCTION search_nameword_add()"""
        for table in ("people_person", "people_character", "shows_show")
    ),
    """INSERT INTO search_nameword (word)
        SELECT DISTINCT w FROM (
            SELECT search_names FROM people_person
            UNION ALL SELECT search_names FROM people_character
            UNION ALL SELECT search_names FROM shows_show
        ) AS names, regexp_split_to_table(names.search_names, '[^[:alnum:]]+') AS w
        WHERE length(w) >= 2
        ON CONFLICT DO NOTHING""",
]

POSTGRESQL_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_search_nameword ON {table}"
        for table in ("people_person", "people_character", "shows_show")
    ),
    "DROP FUNCTION IF EXISTS search_nameword_add()",
    "DROP TABLE IF EXISTS search_nameword",
    "DROP INDEX IF EXISTS show_search_names_trgm",
    "DROP INDEX IF EXISTS character_search_names_trgm",
    "DROP INDEX IF EXISTS person_search_names_trgm",
    "DROP TRIGGER IF EXISTS articles_search_withdraw ON articles_article",
    "DROP FUNCTION IF EXISTS articles_search_withdraw()",
    "DROP INDEX IF EXISTS article_search_document_idx",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_search",
]


def statements(vendor: str, *, drop: bool = False) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_DROP if drop else POSTGRESQL
    if vendor == "sqlite":
        return SQLITE_DROP if drop else SQLITE
    raise NotImplementedError(f"Search needs SQLite or PostgreSQL, not {vendor}.")


def apply(connection, *, drop: bool = False) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, drop=drop):
            cursor.execute(sql)


def migrate_forwards(apps, schema_editor):
    apply(schema_editor.connection)


def migrate_backwards(apps, schema_editor):
    apply(schema_editor.connection, drop=True)
