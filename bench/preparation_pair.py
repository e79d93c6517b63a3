#!/usr/bin/python3
"""Preparation (submit -> first epoch) of the T4 job on two service jars, paired in one sitting (issue 16).

Usage: /usr/bin/python3 bench/preparation_pair.py DATA_DIR ROUNDS JAR_A JAR_B [--jfr FOLDER] [--float32-first]
       [--ports PORT_A,PORT_B]
       (from the repository's root; DATA_DIR holds t4.csv; prints JSON lines)

Each round runs both jars, A then B in odd rounds and B then A in even ones, each exactly as bench/file_to_model.py
runs its service rows: a fresh service (default heap, H2 in a temporary folder), one upload of t4.csv, then the
float64 T4 job and the float32 one (so the float64 job meets the service's first-submit cold path, as in the
harness); with --float32-first, the float32 job first, so that it prepares its own rows. A line per job: the
harness's figures (bench/file_to_model.t4_job) plus the jar, the round and the load average. With --jfr, each
service records a JFR profile (settings=profile) into FOLDER. With --ports, jar A's services listen on PORT_A and
B's on PORT_B (default: any free port).
Stops every service it started, by its PID, whatever happens.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from file_to_model import Service, emit, t4_job  # noqa: E402


def main():
    data_dir, rounds, jars = sys.argv[1], int(sys.argv[2]), sys.argv[3:5]
    jfr = sys.argv[sys.argv.index("--jfr") + 1] if "--jfr" in sys.argv else None
    csv = os.path.join(data_dir, "t4.csv")
    precisions = ("float32", "float64") if "--float32-first" in sys.argv else ("float64", "float32")
    ports = dict(zip("AB", map(int, sys.argv[sys.argv.index("--ports") + 1].split(",")))) if "--ports" in sys.argv else {}
    for round_ in range(1, rounds + 1):
        for label, jar in (zip("AB", jars) if round_ % 2 else zip("BA", reversed(jars))):
            options = [f"-XX:StartFlightRecording=settings=profile,filename={jfr}/{label}{round_}.jfr"] if jfr else []
            service = Service(jar, jvm_options=options, port=ports.get(label))
            try:
                dataset, upload_s = service.upload(csv)
                for precision in precisions:
                    emit(**t4_job(service, dataset, precision, upload_s), jar=label, path=jar, round=round_,
                         load=os.getloadavg()[0])
            finally:
                service.stop()


if __name__ == "__main__":
    main()
