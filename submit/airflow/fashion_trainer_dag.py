"""Nightly Fashion-MNIST training with fashion-trainer on Spark, one run per logical date.

Install: copy this file into the Airflow deployment's dags/ folder, set SPARK_LINE to the cluster's Spark line, put
that line's job jar (target/fashion-trainer-job.jar from `mvn package` for Spark 3.5, or
target/spark4/fashion-trainer-spark4_2.13-job.jar from `mvn -Dspark.line=4 package` for Spark 4; see
docs/spark-versions.md) and conf/spark-defaults.conf of the same checkout in JOB_DIR,
where the Spark client can read them, and create the Spark connection named by SPARK_CONN_ID (Admin >
Connections: type "Spark", host e.g. spark://master:7077, or yarn with {"deploy-mode": "cluster"} as extra).
Needs the provider package apache-airflow-providers-apache-spark.

The trainer makes the schedule safe to retry: a finished run id is a no-op (with other settings, exit 2), an
interrupted one resumes from its last completed epoch, outputs appear whole or not at all (_SUCCESS is written
last), and a run directory has one writer at a time (a retry while the first driver still runs exits 2). Its exit
codes are: 0 success, 1 other failure (worth a retry), 2 bad flags, unwritable or busy output, 3 missing or bad
data, 4 diverged. Airflow retries any non-zero exit; 2-4 fail again the same way, so read the task log first.
The trainer's --max-time ends training inside the task's timeout as a finished run. The check task trusts run.json
only beside _SUCCESS, and a model below the threshold fails it without retries.
"""
from datetime import datetime, timedelta
import json

from airflow import DAG
from airflow.exceptions import AirflowFailException
from airflow.operators.python import PythonOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

SPARK_CONN_ID = "spark_fashion_trainer"
JOB_DIR = "/opt/fashion-trainer"
# The cluster's Spark line: "3.5" (Scala 2.12) or "4" (Scala 2.13). A job jar runs only on its own line.
SPARK_LINE = "3.5"
JOB_JARS = {"3.5": "fashion-trainer-job.jar", "4": "fashion-trainer-spark4_2.13-job.jar"}
JOB_JAR = JOB_DIR + "/" + JOB_JARS[SPARK_LINE]
# The Spark settings submit/cluster.sh passes (executor size, one YARN attempt, Java options): one file for both.
# The executors' native settings (threads, OpenBLAS kernels) and memory overhead come from the trainer itself.
SPARK_PROPERTIES = JOB_DIR + "/spark-defaults.conf"
MAIN_CLASS = "dev.fashiontrainer.cli.FashionTrainer"
DATA_DIR = "hdfs:///datasets/fashion-mnist"
RUNS_ROOT = "hdfs:///fashion-trainer/runs"
RUN_ID = "{{ ds }}"
# The check task fails the DAG run when the model is worse than this.
MIN_TEST_ACCURACY = 0.85
# Longest the tasks may run: a hung driver or file system fails the task instead of blocking the next days.
TRAIN_TIMEOUT = timedelta(hours=3)
CHECK_TIMEOUT = timedelta(minutes=10)
# The trainer's own time budget, inside the task's timeout: training ends after the epoch during which it runs out
# and the outputs are written as a finished run (exit 0, stop_reason "time_budget" in run.json), rather than the
# task being killed at the timeout. The 20 minutes left cover Spark's start, one epoch beyond the budget and the
# outputs; keep the two together when changing either.
MAX_TIME = "2h40m"

# Exactly what the trainer receives; a test runs the trainer's own parser on this list.
APPLICATION_ARGS = [
    "--recipe", "fast",
    "--workers", "4",
    "--epochs", "10",
    "--max-time", MAX_TIME,
    "--data", DATA_DIR,
    "--runs-root", RUNS_ROOT,
    "--run-id", RUN_ID,
]

# One executor of one core per worker (the cores come from SPARK_PROPERTIES).
NUM_EXECUTORS = 4


def check_accuracy(run_dir, min_accuracy):
    """Fails the task when the run in run_dir has not finished (no _SUCCESS: its files may be an interrupted or
    concurrent run's), and fails it for good, without retries, when the kept model's test accuracy (run.json's
    final_test_accuracy: the best epoch's, or the last one's) is below min_accuracy: a retry would read the same
    numbers."""
    import fsspec  # reads hdfs://, s3a:// (as s3://) and local paths alike

    fs, root = fsspec.core.url_to_fs(run_dir.replace("s3a://", "s3://"))
    if not fs.exists(root + "/_SUCCESS"):
        raise FileNotFoundError(f"{run_dir}/_SUCCESS is missing: the run has not finished, so its metrics are "
                                "not final")
    with fs.open(root + "/run.json", "r") as f:
        run = json.load(f)
    accuracy = run["final_test_accuracy"]
    training = run["training"]
    if accuracy < min_accuracy:
        raise AirflowFailException(f"test accuracy {accuracy:.4f} of epoch {training['kept_epoch']} is below "
                                   f"the required {min_accuracy:.4f} ({run_dir}; {training['explanation']})")
    print(f"test accuracy {accuracy:.4f} >= {min_accuracy:.4f} ({training['explanation']})")


with DAG(
    dag_id="fashion_trainer_nightly",
    start_date=datetime(2026, 11, 1),
    schedule="@daily",
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    tags=["ml", "spark"],
) as dag:
    train = SparkSubmitOperator(
        task_id="train",
        conn_id=SPARK_CONN_ID,
        application=JOB_JAR,
        java_class=MAIN_CLASS,
        application_args=APPLICATION_ARGS,
        properties_file=SPARK_PROPERTIES,
        num_executors=NUM_EXECUTORS,
        name="fashion-trainer-{{ ds }}",
        execution_timeout=TRAIN_TIMEOUT,
    )

    check = PythonOperator(
        task_id="check_test_accuracy",
        python_callable=check_accuracy,
        op_kwargs={"run_dir": RUNS_ROOT + "/" + RUN_ID, "min_accuracy": MIN_TEST_ACCURACY},
        execution_timeout=CHECK_TIMEOUT,
    )

    train >> check
