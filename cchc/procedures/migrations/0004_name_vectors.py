"""PostgreSQL: the names' vectors in a narrow table of their own. SQLite: nothing to do (its
FTS5 tables are already apart, see 0002).

"The shortest names holding every word" reads one heap row per match (bitmap scan) or per name
walked in key order (primary key scan): GIN cannot return the key. In
``procedures_procedureindex`` a row is ~1.9 kB (the summary, the term columns and three
generated vectors), compressed because it passes PostgreSQL's 2 kB threshold, so every row read
also decompressed its vectors, and the table (172 MB at 100,000 procedures) was larger than the
default 128 MB of shared buffers. ``procedures_name_vectors`` holds the key and the three vectors
only (~0.8 kB a row, not compressed, 82 MB). Generated columns cannot live in another table, so
a trigger keeps it equal to the index table, as 0002's triggers do for FTS5.
"""

from importlib import import_module

from django.db import migrations

# What 0002 created on procedures_procedureindex (the generated vectors and their GIN indexes) is
# what going back restores; its helpers serve here too.
fulltext = import_module("cchc.procedures.migrations.0002_fulltext")
_vector, _run = fulltext._vector, fulltext._run
NAME_VECTORS_0002 = [s for s in fulltext.POSTGRES_FORWARD if "procedures_procedureindex" in s]

SYNC = f"""
CREATE FUNCTION procedures_name_vectors_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM procedures_name_vectors WHERE key = OLD.key;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO procedures_name_vectors (key, name_vector, exact_vector, facet_vector)
        VALUES (NEW.key, {_vector("NEW.terms")}, {_vector("NEW.exact")}, {_vector("NEW.facets")});
    END IF;
    RETURN NULL;
END $$"""  # noqa: S608 # nosec B608 - no input: fixed table and column names

# Row triggers do not fire on TRUNCATE (Django's test flush truncates the model tables).
SYNC_TRUNCATE = """
CREATE FUNCTION procedures_name_vectors_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE procedures_name_vectors;
    RETURN NULL;
END $$"""

POSTGRES_FORWARD = [
    """CREATE TABLE procedures_name_vectors (
        key bigint PRIMARY KEY,
        name_vector tsvector NOT NULL,
        exact_vector tsvector NOT NULL,
        facet_vector tsvector NOT NULL)""",
    """INSERT INTO procedures_name_vectors (key, name_vector, exact_vector, facet_vector)
        SELECT key, name_vector, exact_vector, facet_vector FROM procedures_procedureindex""",
    SYNC,
    SYNC_TRUNCATE,
    """CREATE TRIGGER procedures_name_vectors_sync AFTER INSERT OR UPDATE OR DELETE
        ON procedures_procedureindex FOR EACH ROW EXECUTE FUNCTION procedures_name_vectors_sync()""",
    """CREATE TRIGGER procedures_name_vectors_truncate AFTER TRUNCATE
        ON procedures_procedureindex FOR EACH STATEMENT EXECUTE FUNCTION procedures_name_vectors_truncate()""",
    "CREATE INDEX procedures_names_name_gin ON procedures_name_vectors USING gin (name_vector)",
    "CREATE INDEX procedures_names_exact_gin ON procedures_name_vectors USING gin (exact_vector)",
    "CREATE INDEX procedures_names_facet_gin ON procedures_name_vectors USING gin (facet_vector)",
    # Their GIN indexes go with them.
    """ALTER TABLE procedures_procedureindex
        DROP COLUMN name_vector, DROP COLUMN exact_vector, DROP COLUMN facet_vector""",
    "ANALYZE procedures_name_vectors",
]
POSTGRES_BACKWARD = [
    *NAME_VECTORS_0002,
    "DROP TRIGGER IF EXISTS procedures_name_vectors_sync ON procedures_procedureindex",
    "DROP TRIGGER IF EXISTS procedures_name_vectors_truncate ON procedures_procedureindex",
    "DROP FUNCTION IF EXISTS procedures_name_vectors_sync()",
    "DROP FUNCTION IF EXISTS procedures_name_vectors_truncate()",
    "DROP TABLE IF EXISTS procedures_name_vectors",
]


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_search_lexicon_query_log")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD}),
        ),
    ]
