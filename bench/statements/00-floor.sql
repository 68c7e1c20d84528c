-- The floor: a statement that reads nothing.
SELECT 1 WHERE false;
