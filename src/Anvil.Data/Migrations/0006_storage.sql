-- Placeholder so the images branch numbers its migration 0007 without a gap; the storage branch
-- owns this file and its version replaces this one when the branches are merged.
SELECT 1;
