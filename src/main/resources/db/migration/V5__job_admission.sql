-- One row that every admission locks (SELECT ... FOR UPDATE) before it counts the queued and running jobs,
-- so that admissions on every replica take turns and the capacity holds across them (job.JobQueue).
CREATE TABLE job_admission (
    id INT PRIMARY KEY
);

INSERT INTO job_admission (id) VALUES (1);
