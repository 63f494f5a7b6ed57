-- An audit entry's details (a CLOB) up to 256 KiB are kept in the entry's row. H2 keeps a CLOB longer than 256 bytes
-- in its LOB store by default: an import batch's entry, which names its thousand records and their subjects (some
-- 110 KB), was written there in chunks, as a temporary LOB copied and then removed, and each removal set H2's LOB
-- cleaner going; that was a sixth of the import's time on the embedded database (docs/benchmarks.md, session 14).
-- The setting is the database's own, kept in it; longer values still go to the LOB store. The other CLOB columns
-- (policy sources, notice texts, certificates) are written rarely and are read whole anyway.
set max_length_inplace_lob 262144;
