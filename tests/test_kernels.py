"""The compiled kernels give exactly the numbers of the NumPy forms they replace."""

from __future__ import annotations

import numpy as np
import pytest

from secorder.kernels import (
    coalition_max,
    code_counts,
    failed_pair_max,
    masked_code_counts,
    members_mean_rows,
    members_min_rows,
    pair_max,
    pair_max_weighted,
    philox_uniforms,
    philox_uniforms_at,
)
from secorder.rng import Streams, philox4x32, to_uniform


def max_shared_numpy(members, strength, selected):
    """The dense form: one (R,N,N) maximum per selected institution."""
    r, _, n = members.shape
    out = np.zeros((r, n, n))
    for q in np.flatnonzero(selected & members.any(axis=(0, 2))):
        m = members[:, q, :]
        np.maximum(out, (m * strength[:, q, None])[:, :, None] * m[:, None, :], out=out)
    return out


def commitments_numpy(members, obligation, strength, selected):
    """The dense form of the alliance commitments (before the diagonal is cleared)."""
    m = members[:, selected, :].astype(float)
    ob = obligation[selected] * m * strength[:, selected, None]
    out = np.zeros((members.shape[0], members.shape[2], members.shape[2]))
    for q in range(ob.shape[1]):
        np.maximum(out, ob[:, q, :, None] * m[:, q, None, :], out=out)
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pair_max_equals_the_dense_maximum(seed):
    rng = np.random.default_rng(seed)
    members = rng.random((40, 9, 13)) < rng.uniform(0.1, 0.8)
    strength = rng.random((40, 9)) * (rng.random((40, 9)) < 0.8)
    selected = rng.random(9) < 0.6
    got = pair_max(members, strength, selected)
    assert np.array_equal(got, max_shared_numpy(members, strength, selected))
    assert got.any()  # the inputs do produce shared memberships, so the comparison pins something


def test_pair_max_on_non_contiguous_views_and_no_selection():
    rng = np.random.default_rng(5)
    members = (rng.random((13, 8, 30)) < 0.5).transpose(0, 2, 1)[:, ::2, :]  # (13,15,8), strided
    strength = rng.random((13, 30))[:, ::2]
    selected = np.ones(15, dtype=bool)
    assert np.array_equal(pair_max(members, strength, selected), max_shared_numpy(members, strength, selected))
    assert not pair_max(members, strength, np.zeros(15, dtype=bool)).any()


@pytest.mark.parametrize("seed", [0, 1])
def test_pair_max_weighted_equals_the_dense_commitments(seed):
    rng = np.random.default_rng(seed)
    members = rng.random((30, 7, 11)) < 0.4
    obligation = rng.random((7, 11))
    strength = rng.random((30, 7))
    selected = rng.random(7) < 0.7
    got = pair_max_weighted(members, obligation * strength[:, :, None], selected)
    assert np.array_equal(got, commitments_numpy(members, obligation, strength, selected))


def dense_numpy(streams: Streams, year: int, stream: int, size: int, institution: int = 0) -> np.ndarray:
    """Streams.dense through the vectorised reference Philox (checked against the published vectors)."""
    blocks = -(-size // 4)
    c1, c2, c3 = streams._counter(year, stream, institution)
    words = philox4x32((np.arange(blocks, dtype=np.uint64)[None, :], c1, c2, c3),
                       (streams.runs[:, None], streams.seed_words[0]))
    return to_uniform(np.stack(words, axis=-1).reshape(streams.n_runs, 4 * blocks)[:, :size])


@pytest.mark.parametrize("size", [1, 3, 4, 5, 21, 441])
def test_compiled_philox_equals_the_vectorised_reference(size):
    streams = Streams(2**40 + 17, np.arange(60) * 7 + 3, 21)
    got = streams.dense(4, 0xFEDCBA98, size, 0x89ABCDEF)
    assert got.shape == (60, size)
    assert np.array_equal(got, dense_numpy(streams, 4, 0xFEDCBA98, size, 0x89ABCDEF))


def test_compiled_sparse_draws_equal_the_dense_array():
    rng = np.random.default_rng(3)
    streams = Streams(9, np.arange(50) + 1000, 21)
    runs, elements = rng.integers(0, 50, (6, 5)), rng.integers(0, 441, (6, 5))
    got = streams.sparse(2, 77, runs, elements)
    assert got.shape == (6, 5)
    assert np.array_equal(got, dense_numpy(streams, 2, 77, 441)[runs, elements])


def test_code_counts_equal_one_comparison_per_code():
    rng = np.random.default_rng(8)
    codes = rng.integers(-1, 9, (25, 6, 6))
    mask = rng.random((25, 6, 6)) < 0.5
    got, got_masked = code_counts(codes, 7), masked_code_counts(mask, codes, 7)
    for c in range(7):
        assert np.array_equal(got[:, c], (codes == c).sum(axis=(1, 2)))
        assert np.array_equal(got_masked[:, c], (mask & (codes == c)).sum(axis=(1, 2)))
    assert got.sum() < codes.size  # codes -1, 7 and 8 are not counted


def coalition_numpy(aligned, members, strength, obligation, target, r, i, j):
    """The loop over institutions that coalition_commitment used before the kernel."""
    commit = aligned[r, :, j].copy()
    for q in range(members.shape[1]):
        if target[q] == 0:
            continue
        m = members[r, q, :]
        m_i, m_j = m[np.arange(r.size), i], m[np.arange(r.size), j]
        valid = m_j & (~m_i if target[q] == 1 else True)
        np.maximum(commit, obligation[q][None, :] * m * (valid * strength[r, q])[:, None], out=commit)
    return commit


def test_coalition_max_equals_the_loop_over_institutions():
    rng = np.random.default_rng(11)
    runs, k, n, crises = 20, 8, 9, 60
    members = rng.random((runs, k, n)) < 0.45
    strength, obligation = rng.random((runs, k)), rng.random((k, n))
    aligned = rng.random((runs, n, n)) * (rng.random((runs, n, n)) < 0.2)
    target = rng.integers(0, 3, k)  # 0 none, 1 outsiders, 2 any aggressor
    r, i, j = rng.integers(0, runs, crises), rng.integers(0, n, crises), rng.integers(0, n, crises)
    got = np.ascontiguousarray(aligned[r, :, j])
    coalition_max(got, members, strength, obligation, target != 0, target == 1, r, i, j)
    want = coalition_numpy(aligned, members, strength, obligation, target, r, i, j)
    assert np.array_equal(got, want)
    assert (want > aligned[r, :, j]).any()  # some institution does add a commitment


def test_members_mean_and_min_rows_equal_the_masked_reductions():
    rng = np.random.default_rng(4)
    members = rng.random((30, 17)) < 0.4
    members[0] = False  # a run where the institution has no members
    values = rng.random((30, 17, 17))
    cnt = np.maximum(members.sum(axis=1, keepdims=True), 1)
    assert np.array_equal(members_mean_rows(members, values), (values * members[:, :, None]).sum(axis=1) / cnt)
    assert np.array_equal(members_min_rows(members, values), np.where(members[:, :, None], values, np.inf).min(axis=1))
    wide = rng.random((30, 40, 17, 17))[:, 3]  # a strided view, as world arrays are sliced
    strided = (rng.random((30, 5, 17)) < 0.5)[:, 2]
    cnt = np.maximum(strided.sum(axis=1, keepdims=True), 1)
    assert np.array_equal(members_mean_rows(strided, wide), (wide * strided[:, :, None]).sum(axis=1) / cnt)


def failure_loss_numpy(fatal, members, depth, security):
    """The dense form of the institutional-failure trust loss (before it was compiled)."""
    mf = (members & security[None, :, None]).astype(float)
    failed = np.einsum("rki,rij,rkj->rk", mf, fatal.astype(float), mf) > 0
    weight = failed * depth
    return np.max(weight[:, :, None, None] * (mf[:, :, :, None] * mf[:, :, None, :]), axis=1, initial=0.0)


def free_riding_numpy(burden, members, collective):
    """The dense form of the free-riding shortfall (before it was compiled)."""
    m = (members & collective[None, :, None]).astype(float)
    count = m.sum(axis=2)
    mean = np.where(count >= 2, (m * burden[:, None, :]).sum(axis=2) / np.maximum(count, 1), 0.0)
    shortfall = np.clip(1.0 - burden[:, None, :] / np.maximum(mean[:, :, None], 1e-12), 0.0, 1.0) * m
    return np.max(m[:, :, :, None] * shortfall[:, :, None, :], axis=1, initial=0.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_disillusion_kernels_equal_the_dense_forms(seed):
    from secorder.mechanisms import disillusion

    rng = np.random.default_rng(seed)
    runs, k, n = 25, 9, 14
    members = rng.random((runs, k, n)) < rng.uniform(0.2, 0.6)
    fatal = rng.random((runs, n, n)) < 0.03
    depth = rng.random((runs, k)) * (rng.random((runs, k)) < 0.8)
    selected = rng.random(k) < 0.7
    got = disillusion.failure_loss(fatal, members, depth, selected)
    want = failure_loss_numpy(fatal, members, depth, selected)
    assert np.array_equal(got, want)
    assert want.any() and not want.all()  # some institutions failed and some pairs lost nothing
    burden = rng.random((runs, n)) * 0.05
    got = disillusion.free_riding(burden, members, selected)
    want = free_riding_numpy(burden, members, selected)
    assert np.array_equal(got, want)
    assert (want > 0).any()


def test_the_python_source_of_each_kernel_gives_the_compiled_numbers():
    """Each kernel's Python body (``py_func``, run by the interpreter) agrees with its compiled form."""
    rng = np.random.default_rng(21)
    members, strength = rng.random((3, 4, 5)) < 0.5, rng.random((3, 4))
    selected, weight = np.array([True, False, True, True]), rng.random((3, 4, 5))
    codes, mask, values = rng.integers(-1, 4, (3, 5, 5)), rng.random((3, 5, 5)) < 0.5, rng.random((3, 5, 5))
    runs, elements = np.arange(3, dtype=np.uint64) + 5, np.array([0, 5, 11])
    words = (np.uint64(7), np.uint64(1), np.uint64(2), np.uint64(3))
    calls = [
        (pair_max, (members, strength, selected)),
        (pair_max_weighted, (members, weight, selected)),
        (philox_uniforms, (runs, *words, 7)),
        (philox_uniforms_at, (runs, elements, *words)),
        (code_counts, (codes, 4)),
        (masked_code_counts, (mask, codes, 4)),
        (members_mean_rows, (members[:, 0], values)),
        (members_min_rows, (members[:, 0], values)),
        (failed_pair_max, (members, selected, mask, strength)),
    ]
    for kernel, args in calls:
        assert np.array_equal(kernel.py_func(*args), kernel(*args)), kernel.__name__
    commit, commit_py = np.zeros((3, 5)), np.zeros((3, 5))
    r, i, j = np.array([0, 1, 2]), np.array([0, 1, 2]), np.array([1, 2, 3])
    coalition_max(commit, members, strength, weight[0, :4], selected, ~selected, r, i, j)
    coalition_max.py_func(commit_py, members, strength, weight[0, :4], selected, ~selected, r, i, j)
    assert np.array_equal(commit, commit_py)


@pytest.mark.parametrize("scenario", ["asia-pacific-2000", "northeast-asia-2003"])
def test_compiled_onset_logit_equals_the_sum_of_arrays(scenario):
    import secorder
    from secorder.engine import run_years
    from secorder.mechanisms import onset
    from secorder.params import Params
    from secorder.rng import root_sequence

    params = Params().replace(parity_band=1.6)  # a wide band, so parity and overtaking both occur
    sc = secorder.load_scenario(scenario)
    world = list(run_years(sc, params, 4, root_sequence(3), np.arange(12)))[-1]
    rng = np.random.default_rng(0)
    shaken = world.apply({"belief": rng.random(world.belief.shape), "growth": rng.normal(0.03, 0.02, world.growth.shape),
                          "satisfaction": rng.random(world.satisfaction.shape)})
    for w in (world, shaken):
        got, want = onset.onset_logit(w, params), onset.onset_terms(w, params)
        assert np.array_equal(got, want)
    cap = onset.capability(shaken, params)
    multiplier = onset.transition_log_multiplier(cap, shaken.growth, shaken.satisfaction, params)
    assert (multiplier > np.log(params.transition_parity_multiplier) + 1e-9).any()  # overtaking occurs


def test_compiled_trust_update_equals_the_array_form():
    import secorder
    from secorder.engine import run_years
    from secorder.mechanisms import socialisation
    from secorder.params import Params
    from secorder.rng import root_sequence

    params = Params()
    world = list(run_years(secorder.load_scenario("asia-pacific-2000"), params, 3, root_sequence(1), np.arange(10)))[-1]
    rng = np.random.default_rng(2)
    shape = world.trust.shape
    shaken = world.apply({
        "trust": rng.random(shape) * 1.2 - 0.1,  # some cells outside [0, 1], so both clips act
        "fought_last": rng.integers(0, 6, shape).astype(np.int8),
        "threat_hit": rng.random(world.gdp.shape) < 0.5,
    })
    for w in (world, shaken):
        got = socialisation.update_trust(w, params)
        assert np.array_equal(got, socialisation.trust_terms(w, params))
    assert (got == 0.0).any() and (got[:, ~np.eye(shape[-1], dtype=bool)] == 1.0).any()
