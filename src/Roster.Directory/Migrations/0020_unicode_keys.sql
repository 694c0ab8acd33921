-- Comparison keys (members.user_name_key, email_key, display_name_key; groups.display_name_key) are
-- now in Unicode normalization form C as well as lower-cased (ScimText.Fold), so that a userName
-- typed with a decomposed accent (e + U+0301) is the same as its composed form (é). SQL cannot
-- normalize Unicode on SQLite, so the rows are re-keyed by a code step (KeyRefolding.ApplyAsync),
-- run after this text in the same transaction.
SELECT 1;
