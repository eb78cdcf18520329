"""FakeMailbox behaves like the real mailbox for its callers, and the UID rules hold."""

from __future__ import annotations

from datetime import UTC, datetime
from hashlib import sha256

import pytest

from ingest.errors import MailboxUnavailable
from ingest.fake_mailbox import FakeMailbox
from ingest.mailbox import Checkpoint, ImapSettings, next_checkpoint, start_after, uids_after


def _mail(n: int, body: bytes = b"Hello") -> bytes:
    return b"Message-ID: <m%d@example.com>\r\nSubject: Inquiry %d\r\n\r\n%s\r\n" % (n, n, body)


def _settings(**overrides: object) -> ImapSettings:
    values: dict[str, object] = {"host": "imap.example.com", "username": "u", "password": "pw"}
    values.update(overrides)
    return ImapSettings(**values)  # type: ignore[arg-type]


def _all(box: FakeMailbox, checkpoint: Checkpoint | None) -> list:
    return [message for batch in box.fetch_new(checkpoint) for message in batch]


# --- UID rules -------------------------------------------------------------------------------


def test_search_answer_at_or_below_the_checkpoint_is_dropped() -> None:
    # "UID 8:*" on a mailbox whose highest UID is 7 answers [7].
    assert uids_after([7], 7) == []
    assert uids_after([5], 7) == []


def test_uids_after_are_sorted_distinct_and_strictly_greater() -> None:
    assert uids_after([12, 9, 8, 9, 3], 8) == [9, 12]


def test_start_after_is_the_checkpoint_uid_in_the_same_epoch() -> None:
    assert start_after(Checkpoint(uidvalidity=5, last_uid=41), 5) == 41


def test_start_after_is_zero_without_checkpoint_or_on_a_new_epoch() -> None:
    assert start_after(None, 5) == 0
    assert start_after(Checkpoint(uidvalidity=4, last_uid=41), 5) == 0


def test_next_checkpoint_is_the_highest_uid_committed() -> None:
    box = FakeMailbox(uidvalidity=9)
    for n in range(3):
        box.append(_mail(n))
    batch = _all(box, None)
    assert next_checkpoint(list(reversed(batch)), None) == Checkpoint(9, 3)


def test_next_checkpoint_never_goes_back_within_an_epoch() -> None:
    box = FakeMailbox(uidvalidity=9)
    box.append(_mail(1))
    assert next_checkpoint(_all(box, None), Checkpoint(9, 20)) == Checkpoint(9, 20)


def test_next_checkpoint_starts_over_in_a_new_epoch() -> None:
    box = FakeMailbox(uidvalidity=10)
    box.append(_mail(1))
    assert next_checkpoint(_all(box, None), Checkpoint(9, 20)) == Checkpoint(10, 1)


def test_next_checkpoint_of_an_empty_batch_keeps_the_previous_one() -> None:
    assert next_checkpoint([], Checkpoint(3, 7)) == Checkpoint(3, 7)
    with pytest.raises(ValueError, match="no previous checkpoint"):
        next_checkpoint([], None)


# --- fetching ---------------------------------------------------------------------------------


def test_fetch_new_returns_every_message_with_its_identity() -> None:
    box = FakeMailbox(uidvalidity=77)
    when = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    box.append(_mail(1), internaldate=when)
    box.append(_mail(2))
    first, second = _all(box, None)
    assert (first.uid, first.uidvalidity, first.mailbox) == (1, 77, "INBOX")
    assert first.message_id == "<m1@example.com>"
    assert first.raw == _mail(1)
    assert first.sha256 == sha256(_mail(1)).hexdigest()
    assert first.internaldate == when
    assert first.source_ref == "imap://INBOX/77/1"
    assert second.uid == 2 and not second.too_large


def test_fetch_new_after_the_last_uid_returns_nothing() -> None:
    box = FakeMailbox(uidvalidity=5)
    box.append(_mail(1))
    box.append(_mail(2))
    assert _all(box, Checkpoint(5, 2)) == []


def test_fetch_new_returns_only_messages_after_the_checkpoint() -> None:
    box = FakeMailbox(uidvalidity=5)
    for n in range(1, 5):
        box.append(_mail(n))
    assert [m.uid for m in _all(box, Checkpoint(5, 2))] == [3, 4]


def test_fetch_new_cuts_batches_of_batch_size() -> None:
    box = FakeMailbox(_settings(batch_size=2))
    for n in range(5):
        box.append(_mail(n))
    assert [[m.uid for m in batch] for batch in box.fetch_new(None)] == [[1, 2], [3, 4], [5]]


def test_fetching_does_not_mark_messages_seen() -> None:
    box = FakeMailbox()
    uid = box.append(_mail(1), flags={"\\Flagged"})
    _all(box, None)
    assert box.flags(uid) == {"\\Flagged"}


def test_an_oversized_message_comes_back_flagged_without_its_body() -> None:
    box = FakeMailbox(_settings(max_message_bytes=100))
    box.append(_mail(1, b"x" * 200))
    box.append(_mail(2))
    big, small = _all(box, None)
    assert big.too_large and big.raw == b"" and big.sha256 is None
    assert big.message_id == "<m1@example.com>"
    assert big.size > 100
    assert not small.too_large and small.raw == _mail(2)


def test_a_message_without_message_id_is_still_fetched() -> None:
    box = FakeMailbox()
    box.append(b"Subject: no id\r\n\r\nbody\r\n")
    (message,) = _all(box, None)
    assert message.message_id is None
    assert message.sha256 == sha256(b"Subject: no id\r\n\r\nbody\r\n").hexdigest()


# --- UIDVALIDITY ------------------------------------------------------------------------------


def test_a_new_uidvalidity_is_reported_and_everything_is_fetched_again() -> None:
    box = FakeMailbox(uidvalidity=5)
    for n in range(1, 4):
        box.append(_mail(n))
    box.move([1], "Processed")
    box.set_uidvalidity(6)
    assert box.current_uidvalidity() == 6
    rescanned = _all(box, Checkpoint(5, 3))
    assert [(m.uidvalidity, m.uid, m.message_id) for m in rescanned] == [
        (6, 1, "<m2@example.com>"),
        (6, 2, "<m3@example.com>"),
    ]


def test_moving_by_uids_of_an_old_epoch_is_refused() -> None:
    box = FakeMailbox(uidvalidity=5)
    box.append(_mail(1))
    box.set_uidvalidity(6)
    with pytest.raises(MailboxUnavailable) as caught:
        box.move([1], "Processed", uidvalidity=5)
    assert caught.value.reason == "imap-uidvalidity-changed"
    assert box.uids() == [1]
    assert box.uids("Processed") == []


# --- moving -----------------------------------------------------------------------------------


def test_move_takes_messages_out_of_the_mailbox_into_the_folder() -> None:
    box = FakeMailbox(uidvalidity=5)
    for n in range(1, 4):
        box.append(_mail(n))
    box.move([1, 3], "Processed", uidvalidity=5)
    box.move([2], "Quarantine")
    assert box.uids() == []
    assert box.raw_messages("Processed") == [_mail(1), _mail(3)]
    assert box.raw_messages("Quarantine") == [_mail(2)]
    assert box.moves == [((1, 3), "Processed"), ((2,), "Quarantine")]


def test_moving_to_a_folder_that_does_not_exist_is_refused() -> None:
    box = FakeMailbox()
    box.append(_mail(1))
    with pytest.raises(MailboxUnavailable, match="TRYCREATE") as caught:
        box.move([1], "Archive")
    assert caught.value.reason == "imap-refused"
    assert box.uids() == [1]


def test_a_full_run_then_a_rerun_sees_each_message_once() -> None:
    box = FakeMailbox(_settings(batch_size=2), uidvalidity=3)
    for n in range(5):
        box.append(_mail(n))
    checkpoint: Checkpoint | None = None
    seen: list[str | None] = []
    for _run in range(2):
        for batch in box.fetch_new(checkpoint):
            seen.extend(m.message_id for m in batch)
            checkpoint = next_checkpoint(batch, checkpoint)
            box.move([m.uid for m in batch], "Processed", uidvalidity=checkpoint.uidvalidity)
    assert seen == [f"<m{n}@example.com>" for n in range(5)]
    assert checkpoint == Checkpoint(3, 5)
    assert len(box.uids("Processed")) == 5


# --- failure and secrets ----------------------------------------------------------------------


def test_an_unavailable_fake_raises_the_transient_error() -> None:
    box = FakeMailbox()
    box.append(_mail(1))
    box.unavailable = True
    with pytest.raises(MailboxUnavailable) as caught:
        _all(box, None)
    assert caught.value.transient is True
    with pytest.raises(MailboxUnavailable):
        box.current_uidvalidity()


def test_the_fake_keeps_the_password_out_of_its_repr() -> None:
    box = FakeMailbox(_settings(password="hunter2-secret"))
    assert "hunter2-secret" not in repr(box)
    assert "imap.example.com" in repr(box)
