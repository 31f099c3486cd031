"""The tracking model: teams and districts, members, firms, assignments, outreach events, projects.

Outreach events and money entries are append-only (a correction is a new entry); every change of
any row is written to `AuditRecord` (`tracking.audit`) by the functions of `tracking.outreach`,
`projects`, `people` and `firms`, the only writers. Money is in 亿元 (100 million CNY), as Decimal.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracking.keys import firm_key, row_key

PRIORITIES = [("A", "A"), ("B", "B"), ("C", "C"), ("本季度", "本季度 / this quarter")]
ROLES = [("管理员", "管理员 / admin"), ("领导", "领导 / leader"), ("小分队", "小分队 / team")]
DISTRICT_KINDS = [("区", "区 / district"), ("部门", "部门 / department")]
MONEY_KINDS = [("domestic", "国内到位资金"), ("foreign", "外资到位资金"), ("completed", "完成投资")]
MONEY = {"max_digits": 16, "decimal_places": 4}


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("只能追加，不能修改 / append-only: entries are never changed")

    def delete(self):
        raise AppendOnlyError("只能追加，不能删除 / append-only: entries are never deleted")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("只能追加，不能修改 / append-only: entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("只能追加，不能删除 / append-only: entries are never deleted")


class District(models.Model):
    """A district or department, the unit of the ranking (赛马比拼)."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=DISTRICT_KINDS, default="区")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A 招商小分队."""

    name = models.CharField(max_length=100, unique=True)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="teams")

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A user's role and team (the workbench filters by these)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    role = models.CharField(max_length=10, choices=ROLES, default="小分队")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")


class Firm(models.Model):
    """A firm tracking refers to. Identity: the credit code when known, else the data's enterprise_id.

    A firm that a reload no longer has is kept with `missing_since` set, never deleted.
    """

    enterprise_id = models.CharField(max_length=100, blank=True, db_index=True)
    credit_code = models.CharField(max_length=18, blank=True)
    name = models.CharField(max_length=300)
    missing_since = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["credit_code"], condition=~Q(credit_code=""),
                                               name="firm_credit_code_unique")]

    @property
    def key(self) -> str:
        return firm_key(self.enterprise_id, self.credit_code)

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A target firm (and the link it would fill) given to a team."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="assignments")
    product_id = models.CharField(max_length=100, blank=True)  # the link (环节); '' = the firm as a whole
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    leader = models.CharField(max_length=100, blank=True)  # 包联领导
    contact_person = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    priority = models.CharField(max_length=10, choices=PRIORITIES, blank=True)
    remarks = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "product_id"], name="assignment_firm_link_unique")]

    @property
    def key(self) -> str:
        return row_key(self.firm.enterprise_id, self.product_id, self.firm.credit_code)


class Event(AppendOnly):
    """One outreach step, append-only."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="events")
    date = models.DateField()
    stage = models.CharField(max_length=20)
    activity = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    next_step = models.TextField(blank=True)
    problem = models.TextField(blank=True)  # 困难问题
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=20, default="cli")
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["date", "id"]


class Project(models.Model):
    """A project of the project library (项目库), with its 五个一 包联 fields."""

    code = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=300)
    investor_firm = models.ForeignKey(Firm, null=True, blank=True, on_delete=models.PROTECT, related_name="projects")
    investor_name = models.CharField(max_length=300, blank=True)  # a new investor not in the data
    products = models.CharField(max_length=500, blank=True)  # product ids separated by |
    region_id = models.CharField(max_length=100, blank=True)
    park = models.CharField(max_length=200, blank=True)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="projects")
    total_investment = models.DecimalField(null=True, blank=True, **MONEY)
    agreement_investment = models.DecimalField(null=True, blank=True, **MONEY)
    key_project = models.BooleanField(default=False)  # 市级重点
    plan_year = models.PositiveSmallIntegerField(null=True, blank=True)  # the year's key-project list
    new_build = models.BooleanField(default=False)  # 新建 (else 续建)
    signed_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)  # 开工
    resumed_on = models.DateField(null=True, blank=True)  # 复工 (this year, of a project started before)
    operating_on = models.DateField(null=True, blank=True)  # 投产
    leader = models.CharField(max_length=100, blank=True)  # 五个一: 一位领导
    task_force = models.CharField(max_length=200, blank=True)  # 一个专班
    plan = models.TextField(blank=True)  # 一套方案
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MoneyEntry(AppendOnly):
    """Funds in place (国内/外资 到位资金) or investment completed (完成投资) on a date, 亿元."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="money")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=MONEY_KINDS)
    amount = models.DecimalField(**MONEY)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, unique=True)


class AuditRecord(AppendOnly):
    """Who changed what, when."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=20)
    model = models.CharField(max_length=40)
    object_key = models.CharField(max_length=300)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]
