"""The audit log: an HMAC hash chain per area, so two streets never wait for each other
(DESIGN "Scale") and any change to, removal of, or reordering of entries is detected."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditChain(models.Model):
    """The head of one chain: its last sequence number and hash, signed.

    Locked (``SELECT … FOR UPDATE``) while appending; keeping the head also reveals a
    removed tail, which a chain of entries alone could not. ``mac`` is an HMAC under the
    audit key over (chain, seq, hash), so rewinding the head to hide a removed tail needs
    the key (ADR 0014).
    """

    key = models.CharField(_("chain"), max_length=20, primary_key=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    mac = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain")
        verbose_name_plural = _("audit chains")

    def __str__(self) -> str:
        return self.key


class AuditEntry(models.Model):
    chain = models.CharField(_("chain"), max_length=20)
    seq = models.BigIntegerField(_("sequence"))
    at = models.DateTimeField(_("time"))
    # Entries never change, not even when their user is deleted (SET_NULL would rewrite a
    # hashed field and break the chain): the id stays as written, without a database
    # constraint, and actor_name keeps who it was.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="+")
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=100, blank=True)
    area_code = models.CharField(_("area code"), max_length=20, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq")]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["area_code"], name="audit_area",
                         opclasses=["varchar_pattern_ops"]),
        ]
        ordering = ["chain", "seq"]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"


class AuditSeal(models.Model):
    """The one signed row that says which chains exist and which checkpoint is the latest.

    Written when a chain is opened (once per street, ever) and when a checkpoint is taken
    (daily), never on an ordinary append, so streets never wait for each other here
    (ADR 0014). Removing a chain, its head or the newest checkpoints shows as a mismatch
    with this row, which only the audit key can re-sign.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    chains = models.JSONField(default=list)  # sorted chain keys
    checkpoint = models.BigIntegerField(default=0)  # number of the latest checkpoint
    checkpoint_mac = models.CharField(max_length=64, default="")
    mac = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self) -> str:
        return f"{len(self.chains)} chains, checkpoint {self.checkpoint}"


class AuditCheckpoint(models.Model):
    """A signed digest of every chain's head at one moment, linked to the one before.

    Taken daily by the periodic job ``audit.checkpoint`` (and ``shequ audit checkpoint
    create``); ``shequ audit checkpoint export`` writes one to a file kept outside the
    database, which later proves which entries existed then (ADR 0014).
    """

    number = models.BigIntegerField(_("number"), primary_key=True)
    at = models.DateTimeField(_("time"))
    heads = models.JSONField(default=dict)  # {chain: [seq, hash]}
    prev_mac = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.at:%Y-%m-%d %H:%M}"
