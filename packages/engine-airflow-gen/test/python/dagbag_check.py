"""Imports generated DAG files with Airflow's DagBag and prints what Airflow sees, as JSON.

usage: python dagbag_check.py <dag folder>

For every Glue task it also asks the operator's own GlueJobHook for the CreateJob config it would
send (the IAM lookup is the only call stubbed: it needs AWS), so tests can compare it with the
jobs/*.json requests we generate.
"""

import json
import sys

import airflow
import pendulum
from airflow.models import DagBag
from airflow.providers.amazon.aws.hooks.glue import GlueJobHook
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator

ROLE_ARN = "arn:aws:iam::123456789012:role/{}"
GlueJobHook.get_iam_execution_role = lambda self: {"Role": {"Arn": ROLE_ARN.format(self.role_name)}}


def task_info(task):
    info = {
        "operator": type(task).__name__,
        "downstream": sorted(task.downstream_task_ids),
        "retries": task.retries,
        "retry_delay_seconds": task.retry_delay.total_seconds(),
    }
    if isinstance(task, GlueJobOperator):
        info["job_name"] = task.job_name
        info["wait_for_completion"] = task.wait_for_completion
        info["script_args"] = task.script_args
        info["create_job_config"] = task.glue_job_hook.create_glue_job_config()
    elif type(task).__name__ == "ExternalTaskSensor":
        info["external_dag_id"] = task.external_dag_id
        info["external_task_ids"] = task.external_task_ids
        info["mode"] = task.mode
        info["timeout"] = task.timeout
        if task.execution_date_fn is not None:
            # The upstream logical date the sensor waits for, for a sample logical date of ours.
            sample = pendulum.datetime(2024, 1, 2, 10, 5, tz="UTC")
            info["waits_for_sample"] = task.execution_date_fn(sample).isoformat()
    elif type(task).__name__ == "AthenaOperator":
        info["query"] = task.query
        info["database"] = task.database
        info["output_location"] = task.output_location
        info["trigger_rule"] = str(getattr(task.trigger_rule, "value", task.trigger_rule))
    return info


def main(folder):
    bag = DagBag(dag_folder=folder, include_examples=False)
    out = {"airflow": airflow.__version__, "import_errors": dict(bag.import_errors), "dags": {}}
    for dag_id, dag in sorted(bag.dags.items()):
        out["dags"][dag_id] = {
            "schedule": dag.timetable.summary,
            "start_date": dag.start_date.isoformat(),
            "timezone": str(dag.timezone.name),
            "catchup": dag.catchup,
            "max_active_runs": dag.max_active_runs,
            "tags": sorted(dag.tags),
            "has_doc_md": bool(dag.doc_md),
            "tasks": {t.task_id: task_info(t) for t in sorted(dag.tasks, key=lambda t: t.task_id)},
        }
    # Airflow logs to stdout too: the report is the one line after the marker.
    print("\n@@ENGINE-JSON@@\n" + json.dumps(out, sort_keys=True, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
