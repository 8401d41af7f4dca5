"""Reads an Airflow DAG file without Airflow (it cannot be installed here) and prints, as JSON, the
arguments its SparkSubmitOperator passes to the trainer, with Jinja's {{ ds }} rendered as a date, and every
task's execution timeout in seconds.

Only module-level assignments of literals, names, subscripts, string concatenations and timedelta(...) are evaluated, which is
all the DAG uses for the values the trainer receives."""
import ast
import datetime
import json
import sys

RENDERED_DS = "2026-11-25"


def evaluate(node, names):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [evaluate(e, names) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {evaluate(k, names): evaluate(v, names) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Name):
        return names[node.id]
    if isinstance(node, ast.Subscript):
        return evaluate(node.value, names)[evaluate(node.slice, names)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return evaluate(node.left, names) + evaluate(node.right, names)
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "timedelta":
        kwargs = {k.arg: evaluate(k.value, names) for k in node.keywords}
        return datetime.timedelta(**kwargs).total_seconds()
    raise ValueError(f"line {node.lineno}: cannot evaluate {ast.dump(node)}")


def main(path):
    tree = ast.parse(open(path).read(), path)
    names = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and isinstance(statement.targets[0], ast.Name):
            try:
                names[statement.targets[0].id] = evaluate(statement.value, names)
            except (ValueError, KeyError):
                pass
    operator = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "SparkSubmitOperator":
            operator = {k.arg: evaluate(k.value, names) for k in node.keywords
                        if k.arg in ("application", "application_args", "java_class", "conf", "properties_file",
                                     "num_executors", "executor_cores", "executor_memory", "name")}
    if operator is None:
        sys.exit(f"{path}: no SparkSubmitOperator call found")
    render = lambda s: s.replace("{{ ds }}", RENDERED_DS) if isinstance(s, str) else s
    operator["application_args"] = [render(a) for a in operator["application_args"]]
    operator["name"] = render(operator.get("name"))
    operator["retries"] = next((evaluate(v, names) for node in ast.walk(tree) if isinstance(node, ast.Call)
                                and getattr(node.func, "id", None) == "DAG"
                                for k in node.keywords if k.arg == "default_args"
                                for kk, v in zip(k.value.keys, k.value.values) if kk.value == "retries"), 0)
    operator["min_test_accuracy"] = names.get("MIN_TEST_ACCURACY")
    operator["execution_timeouts"] = {
        evaluate(task_id, names): next((evaluate(k.value, names) for k in node.keywords
                                        if k.arg == "execution_timeout"), None)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and str(getattr(node.func, "id", "")).endswith("Operator")
        for task_id in [next(k.value for k in node.keywords if k.arg == "task_id")]}
    print(json.dumps(operator))


if __name__ == "__main__":
    main(sys.argv[1])
