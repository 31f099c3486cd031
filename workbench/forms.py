"""The workbench's input forms (Django forms: field parsing and the CSRF token come from Django)."""
from __future__ import annotations

from django import forms

from tracking.models import PRIORITIES


class AssignForm(forms.Form):
    firm = forms.CharField(label="企业（编号或统一社会信用代码） / firm", max_length=200)
    product = forms.CharField(label="环节（产品编号，可空） / link (product id)", max_length=100, required=False)
    team = forms.CharField(label="小分队 / team", max_length=100)
    priority = forms.ChoiceField(label="优先级 / priority", choices=[("", "—")] + PRIORITIES, required=False)
    leader = forms.CharField(label="包联领导 / leader", max_length=100, required=False)


class LogForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=300)
    stage = forms.CharField(label="阶段 / stage", max_length=20)
    date = forms.CharField(label="日期 / date (YYYY-MM-DD)", max_length=10)
    activity = forms.CharField(label="工作方式 / activity", max_length=20, required=False)
    note = forms.CharField(label="说明 / note", max_length=2000, required=False)
    next_step = forms.CharField(label="下一步 / next step", max_length=2000, required=False)
    problem = forms.CharField(label="困难问题 / problems", max_length=2000, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label="数据文件（.xlsx、CSV 文件夹的 .zip、.json） / data file")


class AcceptForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=40)
    mode = forms.ChoiceField(label="方式 / how", choices=[("add", "加入当前数据 / add to the current data"),
                                                         ("replace", "替换当前数据 / replace the current data")])


class WhatIfForm(forms.Form):
    firm = forms.CharField(label="企业（编号、名称或简称，或新投资方名称） / firm or new investor", max_length=200)
    products = forms.CharField(label="产品（编号、名称或别名，用 | 分隔） / products, separated by |", max_length=500)
    capacity = forms.FloatField(label="产能（可空） / capacity", required=False, min_value=0)
    new_firm = forms.BooleanField(label="新投资方（数据中没有的企业，结果中标为“假设”） / a new investor not in the data",
                                  required=False)
    province = forms.CharField(label="新投资方所在省份（可空） / new investor's province", max_length=50, required=False)
    city = forms.CharField(label="新投资方所在城市（可空） / new investor's city", max_length=50, required=False)


class BulletinForm(forms.Form):
    period = forms.CharField(label="期间 / period (2023-09-上旬, 2023-09, 2023-Q3, 2023)", max_length=20)


class ProjectForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=100)
    started_on = forms.CharField(label="开工日期 / started", max_length=10, required=False)
    operating_on = forms.CharField(label="投产日期 / in operation", max_length=10, required=False)
    note = forms.CharField(label="备注 / note", max_length=2000, required=False)
