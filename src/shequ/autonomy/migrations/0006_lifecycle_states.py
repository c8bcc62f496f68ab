"""One lifecycle per stateful model (ADR 0011): proposals get their state choices, the
history its action and state choices; disclosures and questions get a ``status`` field,
filled from the timestamps that stood for it."""

from django.db import migrations, models

PROPOSAL_STATES = [
    ("collecting", "Collecting co-signers"), ("submitted", "Submitted, awaiting review"),
    ("admitted", "Admitted for deliberation"), ("rejected", "Not admitted"),
    ("scheduled", "On a meeting agenda"), ("adopted", "Adopted"), ("not_adopted", "Not adopted"),
    ("in_progress", "Being implemented"),
    ("implemented", "Implemented, awaiting residents' feedback"),
    ("closed", "Closed with feedback"), ("withdrawn", "Withdrawn by the proposer")]
PROPOSAL_ACTIONS = [
    ("submit", "submit"), ("edit", "edit"), ("cosign", "co-sign"),
    ("cosigned", "reach the co-signer threshold"), ("comment", "comment"),
    ("withdraw", "withdraw"), ("admit", "admit"), ("reject", "not admit"),
    ("schedule", "put on a meeting's agenda"), ("adopt", "adopt"), ("not_adopt", "not adopt"),
    ("unschedule", "return to the queue"), ("assign", "assign for implementation"),
    ("progress", "report progress"), ("complete", "mark as implemented"), ("rate", "rate"),
    ("close", "close")]


def statuses_from_timestamps(apps, schema_editor):
    Disclosure = apps.get_model("autonomy", "Disclosure")
    Question = apps.get_model("autonomy", "Question")
    Disclosure.objects.filter(published_at__isnull=False).update(status="published")
    Disclosure.objects.filter(published_at__isnull=True,
                              overdue_flagged_at__isnull=False).update(status="overdue")
    Question.objects.filter(answered_at__isnull=False).update(status="answered")


class Migration(migrations.Migration):

    dependencies = [
        ("autonomy", "0005_rule_overrides_to_shequ_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosure", name="status",
            field=models.CharField(choices=[("planned", "Due, not yet published"),
                                            ("overdue", "Overdue, flagged to the street"),
                                            ("published", "Published")],
                                   default="planned", max_length=10, verbose_name="status")),
        migrations.AddField(
            model_name="question", name="status",
            field=models.CharField(choices=[("asked", "Awaiting an answer"),
                                            ("answered", "Answered")],
                                   default="asked", max_length=10, verbose_name="status")),
        migrations.RunPython(statuses_from_timestamps, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="disclosure", name="autonomy_disc_due"),
        migrations.AddIndex(
            model_name="disclosure",
            index=models.Index(fields=["status", "due_on"], name="autonomy_disc_status_due")),
        migrations.AlterField(
            model_name="disclosure", name="title",
            field=models.CharField(blank=True, max_length=200, verbose_name="title")),
        migrations.AlterField(
            model_name="proposal", name="state",
            field=models.CharField(choices=PROPOSAL_STATES, db_index=True, max_length=16,
                                   verbose_name="state")),
        migrations.AlterField(
            model_name="proposalevent", name="action",
            field=models.CharField(choices=PROPOSAL_ACTIONS, max_length=20)),
        migrations.AlterField(
            model_name="proposalevent", name="state",
            field=models.CharField(blank=True, choices=PROPOSAL_STATES, max_length=16)),
    ]
