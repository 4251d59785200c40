"""The Spark session of a job: the master, the Python of the driver on the executors, quiet logs.

On a cluster (`spark://...`, `yarn`, `k8s://...`) the executors need provenance installed
(`pip install 'provenance[spark]'` on every node, or the wheel shipped with `--py-files`).
"""

from __future__ import annotations

import os
import sys

from provenance import config


def start(master: str, app: str = "provenance") -> object:
    """A SparkSession on `master` (an existing one is reused)."""
    if master.startswith("local"):  # no warning about the host's name resolving to loopback
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.master(master).appName(app)
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(config.SPARK_SHUFFLE_PARTITIONS))
               .config("spark.driver.memory", config.SPARK_DRIVER_MEMORY)
               .config("spark.python.worker.reuse", "true"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def running() -> bool:
    """Whether a Spark session is already active in this process (`start` would reuse it)."""
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession() is not None


def version() -> str:
    """The installed PySpark version (without starting a session)."""
    import pyspark

    return pyspark.__version__
