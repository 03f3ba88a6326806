-- 0004: the trainee list sorts by birth date over every trainee, a page at a
-- time; this index gives that order without sorting 100k rows per page.
CREATE INDEX trainees_birth_date ON trainees (birth_date);
