"""Runs the Airflow DAG's check_accuracy function without Airflow (it cannot be installed here): its definition
is taken from the DAG file with ast and executed with a local-files stand-in for fsspec and a stand-in for
AirflowFailException, against the run directories given. Prints, as JSON, what each call did:
{"RUN_DIR": "ok: WHAT IT PRINTED" | "retryable: MESSAGE" | "fail-without-retry: MESSAGE"}."""
import ast
import contextlib
import io
import json
import os
import sys
import types


class AirflowFailException(Exception):
    """Airflow's exception for a failure that retries cannot fix."""


class LocalFiles:
    exists = staticmethod(os.path.exists)
    open = staticmethod(open)


def main(dag_path, min_accuracy, run_dirs):
    tree = ast.parse(open(dag_path).read(), dag_path)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "check_accuracy")
    fsspec = types.ModuleType("fsspec")
    fsspec.core = types.SimpleNamespace(url_to_fs=lambda url: (LocalFiles, url))
    fsspec.open = open
    sys.modules["fsspec"] = fsspec
    namespace = {"json": json, "AirflowFailException": AirflowFailException}
    exec(compile(ast.Module(body=[function], type_ignores=[]), dag_path, "exec"), namespace)
    outcomes = {}
    for run_dir in run_dirs:
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                namespace["check_accuracy"](run_dir, float(min_accuracy))
            outcomes[run_dir] = "ok: " + printed.getvalue().strip()
        except AirflowFailException as e:
            outcomes[run_dir] = f"fail-without-retry: {e}"
        except Exception as e:  # anything else Airflow retries
            outcomes[run_dir] = f"retryable: {e}"
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
