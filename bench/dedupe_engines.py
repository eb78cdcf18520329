"""The two engines the dedupe benchmark runs, each in its own process: ours and splink.

Each runner reads the pickled records, times only the matching (from records in memory to a
cluster label per record), writes the labels as ``.npy`` and prints one JSON line with the
seconds and the process's peak RSS.
"""

from __future__ import annotations

import json
import logging
import pickle
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.dedupe import BlockIndex, MatchConfig, Person, find_matches  # noqa: E402
from pipeline.matching.person import fold  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(records: list[dict[str, str]]) -> tuple[np.ndarray, dict[str, float]]:
    people = [Person(**r) for r in records]
    started = time.perf_counter()
    result = find_matches(people, (), MatchConfig())
    seconds = time.perf_counter() - started
    labels = np.empty(len(people), np.int64)
    for no, rows in enumerate(result.rows):
        labels[rows] = no
    s = result.stats
    return labels, {
        "seconds": seconds,
        "pairs": s.pairs_compared,
        "blocks": s.blocks,
        "oversize": s.oversize_blocks,
        "skipped": s.skipped_blocks,
    }


def run_incremental(records: list[dict[str, str]], n_new: int) -> tuple[np.ndarray, dict[str, Any]]:
    people = [Person(**r) for r in records]
    stored, new = people[:-n_new], people[-n_new:]
    started = time.perf_counter()
    index = BlockIndex.build(stored, MatchConfig().block_cap)
    built = time.perf_counter() - started
    started = time.perf_counter()
    result = find_matches(new, config=MatchConfig(), index=index)
    seconds = time.perf_counter() - started
    # For each new record: the stored record it was attached to (-1 for none).
    ids = {p.id: i for i, p in enumerate(stored)}
    attached = np.full(n_new, -1, np.int64)
    new_pos = {p.id: i for i, p in enumerate(new)}
    for cluster in result.clusters:
        head = ids.get(cluster[0], -1)
        for pid in cluster:
            if pid in new_pos:
                attached[new_pos[pid]] = head
    return attached, {
        "seconds": seconds,
        "index_seconds": built,
        "pairs": result.stats.pairs_compared,
    }


def _splink_frame(records: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    import pandas as pd

    df = pd.DataFrame(
        {
            "unique_id": np.arange(len(records)),
            "first_name": [fold(r["first_name"]) for r in records],
            "surname": [fold(r["last_name"]) for r in records],
            "email": [r["email_key"] for r in records],
            "phone": [r["phone"] for r in records],
            "company": [r["company_key"] for r in records],
            "city": [fold(r["city"]) for r in records],
        }
    )
    df["first_initial"] = df["first_name"].str[:1]
    return df.replace("", None)


def run_splink(records: list[dict[str, str]]) -> tuple[np.ndarray, dict[str, float]]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = _splink_frame(records)
    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("email"),
            block_on("phone"),
            block_on("surname", "first_initial"),
            block_on("company", "first_initial"),
        ],
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            # Term frequencies let a shared info@ or switchboard number count for less.
            cl.EmailComparison("email").configure(term_frequency_adjustments=True),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            cl.ExactMatch("company"),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(DuckDBAPI().register(df), settings, log_level=logging.WARNING)
    _train(linker)
    predictions = linker.inference.predict(threshold_match_probability=0.9)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    out = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    seconds = time.perf_counter() - started
    labels = np.empty(len(records), np.int64)
    codes = out["cluster_id"].astype("category").cat.codes.to_numpy()
    labels[out["unique_id"].to_numpy()] = codes
    return labels, {"seconds": seconds}


def _train(linker) -> None:  # type: ignore[no-untyped-def]
    """splink's standard training: lambda from deterministic rules, u by sampling, m by EM."""
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match(
        [block_on("email"), block_on("phone")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("email"))


def main(argv: list[str]) -> None:
    engine, data, out = argv[0], Path(argv[1]), Path(argv[2])
    with data.open("rb") as fh:
        records = pickle.load(fh)
    if engine == "ours":
        labels, info = run_ours(records)
    elif engine == "splink":
        labels, info = run_splink(records)
    else:
        labels, info = run_incremental(records, int(engine.split(":")[1]))
    np.save(out, labels)
    info["peak_mb"] = _peak_mb()
    print(json.dumps(info))


if __name__ == "__main__":
    main(sys.argv[1:])
