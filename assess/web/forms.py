"""WTForms classes, built from the questionnaire and the profile with dispatch tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from assess.core.accounts import MAX_PASSWORD, ROLE_LABELS, PasswordProblem, check_password_policy
from assess.core.answers import (
    ACTION_STATUSES,
    DEFAULT_TARGET,
    MAX_NAME,
    MAX_TEXT,
    NOT_APPLICABLE,
    UNKNOWN,
    Answer,
    answer_problems,
    parse_value,
)
from assess.core.checks import MAX_LINE, text_problem
from assess.core.facts import FACT_TYPES, FactProblem, check_fact_value
from assess.core.questionnaire import Fact, Question
from assess.core.revisions import PARTS, keep_both
from assess.core.vocabulary import LEVELS, level_label
from assess.core.workshop import DEFAULT_MAX_PARTICIPANTS, MAX_PARTICIPANTS_LIMIT
from assess.store.answers import Edit, StoredAnswer
from assess.store.workshops import RatingRow


class CheckedForm(FlaskForm):
    """Every form of the app: Flask-WTF's, with the one text check of `assess.core.checks` run on every
    text it carries (no control or direction characters; one line where the field is one line).

    Passwords are not checked: they are hashed, never shown.
    """

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return _texts_are_clean(self) and valid


def _texts_are_clean(form: Any) -> bool:
    """Put the text check's problem on each text field that has one; return whether none had."""
    clean = True
    for field in form:
        if isinstance(field, FormField):
            clean = _texts_are_clean(field.form) and clean
        elif isinstance(field, FieldList):
            clean = _texts_are_clean(field.entries) and clean
        elif isinstance(field, StringField) and not isinstance(field, PasswordField) and isinstance(field.data, str):
            problem = text_problem(field.data, single_line=not isinstance(field, TextAreaField | HiddenField))
            if problem is not None:
                field.errors = [*field.errors, problem[0].upper() + problem[1:] + "."]
                clean = False
    return clean


TARGET_CHOICES = [SelectChoice(str(level), f"{level} - {LEVELS[level]}") for level in (1, 2, 3, 4)]
_VALUES: tuple[int | str, ...] = (*LEVELS, UNKNOWN, NOT_APPLICABLE)
VALUE_CHOICES = [SelectChoice(str(value), level_label(value)) for value in _VALUES]


class OrganizationForm(CheckedForm):
    name = StringField("Name", validators=[DataRequired("Give the organization a name."), Length(max=MAX_NAME)])


class AssessmentForm(CheckedForm):
    questionnaire = SelectField("Standard", validators=[DataRequired()])
    title = StringField(
        "Title",
        validators=[DataRequired("Give the assessment a title, e.g. Baseline 2026."), Length(max=MAX_NAME)],
        description="For example Baseline 2026, or Follow-up 2027.",
    )
    target = SelectField(
        "Target level",
        coerce=int,
        choices=TARGET_CHOICES,
        default=DEFAULT_TARGET,
        description="Answers below this level are listed as gaps.",
    )


class EditAssessmentForm(CheckedForm):
    title = AssessmentForm.title
    target = AssessmentForm.target


class DuplicateForm(CheckedForm):
    title = StringField(
        "Title of the new round",
        validators=[DataRequired("Give the new round a title."), Length(max=MAX_NAME)],
        description="Every answer is copied, so the new round only needs what changed.",
    )


class ConfirmForm(CheckedForm):
    """A form with nothing but its CSRF token: for deletions."""


def _email_field(label: str = "Email") -> EmailField:
    return EmailField(label, validators=[DataRequired("Enter an email address."), Length(max=254)])


class StrongPassword:
    """Validator: the accounts password policy. Words from the form's `email` field, and from
    `form.password_context` when a view sets it (an invitation's email and organization), count
    as guessable."""

    def __call__(self, form: Any, field: Field) -> None:
        context = tuple(getattr(form, "password_context", ()))
        if "email" in form:
            context += (str(form["email"].data or ""),)
        try:
            check_password_policy(field.data or "", context)
        except PasswordProblem as problem:
            raise ValidationError(str(problem)) from None


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired("Choose a password."), Length(max=MAX_PASSWORD), StrongPassword()],
        description="At least 10 characters. A few unrelated words make a strong, memorable password.",
    )


class LoginForm(CheckedForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=MAX_PASSWORD)])


class SetupForm(CheckedForm):
    code = StringField(
        "Setup code",
        validators=[DataRequired("Enter the setup code."), Length(max=40)],
        description="Printed by the server when it started; the command assess setup-code prints it again.",
    )
    email = _email_field("Your email")
    password = _new_password_field("Choose a password")
    confirm = PasswordField("Repeat the password", validators=[EqualTo("password", "The two passwords differ.")])


class InvitationForm(CheckedForm):
    password = _new_password_field("Choose a password")
    confirm = PasswordField("Repeat the password", validators=[EqualTo("password", "The two passwords differ.")])


class PasswordChangeForm(CheckedForm):
    current = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    new = _new_password_field("New password")
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("new", "The two passwords differ.")])


class PersonForm(CheckedForm):
    email = _email_field()
    role = SelectField("Role", choices=[SelectChoice(r, label) for r, label in ROLE_LABELS.items()], default="member")


class UserForm(CheckedForm):
    email = _email_field()
    password = _new_password_field("Initial password")
    can_create = BooleanField("Consultant: may create organizations")
    is_admin = BooleanField("Administrator: sees everything and manages accounts")


class ImportForm(CheckedForm):
    file = FileField("Exchange file (.json)", validators=[FileRequired("Choose an exchange file to upload.")])


class WorkbookUploadForm(CheckedForm):
    file = FileField(
        "Filled workbook (.xlsx)",
        validators=[FileRequired("Choose a workbook to upload.")],
        description="A workbook downloaded from this assessment. Rows with a level replace the answers; "
        "blank rows keep them.",
    )


# --- comparing rounds and the action plan ---------------------------------------------------


class CompareForm(CheckedForm):
    """The two rounds to compare, read from the query string (a GET form changes nothing: no token)."""

    class Meta:
        csrf = False

    before = SelectField("Earlier round", coerce=int, validate_choice=True)
    after = SelectField("Later round", coerce=int, validate_choice=True)


class AddActionForm(CheckedForm):
    """Make a gap an action: the gap itself comes from the URL, only the wording from the form."""

    what = HiddenField(validators=[Length(max=MAX_TEXT)])


ACTION_STATUS_CHOICES = [SelectChoice(status, status.capitalize()) for status in ACTION_STATUSES]


class ActionForm(CheckedForm):
    what = TextAreaField("Action", validators=[DataRequired("Say what is to be done."), Length(max=MAX_TEXT)])
    owner = StringField(
        "Owner", validators=[Length(max=MAX_NAME)], description="Who sees it through: a name or a role."
    )
    due = DateField("Due date", validators=[Optional()])
    status = SelectField(
        "Status",
        choices=ACTION_STATUS_CHOICES,
        description="Marking an action done does not change any answer: the next round's answer does.",
    )


# --- the organization profile ---------------------------------------------------------------


@dataclass(frozen=True)
class FactWidget:
    """How one fact type is edited: a field builder, and how to read and show its value."""

    build: Callable[[Fact], Field]
    read: Callable[[Any], Any]
    show: Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _text_read(value: Any) -> Any:
    return (value or "").strip()


def _number_read(value: Any) -> Any:
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def _date_read(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else ""


def _date_show(value: Any) -> Any:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _list_rows_read(value: Any) -> Any:
    rows = []
    for row in value or []:
        cleaned = {k: (v or "").strip() for k, v in row.items() if k != "csrf_token"}
        if any(cleaned.values()):
            rows.append(cleaned)
    return rows


def _list_build(fact: Fact) -> Field:
    row = type(
        "RowForm",
        (Form,),
        {f.id: StringField(f.text, validators=[Length(max=MAX_TEXT)]) for f in fact.fields},
    )
    return FieldList(FormField(row), label=fact.text, description=fact.guidance, min_entries=1)


def _kwargs(fact: Fact) -> dict[str, Any]:
    return {"label": fact.text, "description": fact.guidance}


FACT_WIDGETS: dict[str, FactWidget] = {
    "line": FactWidget(lambda f: StringField(validators=[Length(max=MAX_LINE)], **_kwargs(f)), _text_read, _identity),
    "area": FactWidget(lambda f: TextAreaField(validators=[Length(max=MAX_TEXT)], **_kwargs(f)), _text_read, _identity),
    # Bounds are checked by the fact type's own check (assess.core.facts), the same as for imports.
    "number": FactWidget(lambda f: FloatField(validators=[Optional()], **_kwargs(f)), _number_read, _identity),
    "select": FactWidget(
        lambda f: SelectField(
            choices=[SelectChoice("", "- choose -")] + [SelectChoice(c) for c in f.choices],
            validate_choice=False,  # check_fact_value checks it, and a missing select means "not given"
            **_kwargs(f),
        ),
        _text_read,
        _identity,
    ),
    "checkboxes": FactWidget(
        lambda f: SelectMultipleField(
            choices=[SelectChoice(c) for c in f.choices],
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
            validate_choice=False,
            **_kwargs(f),
        ),
        lambda v: list(v or []),
        _identity,
    ),
    "date": FactWidget(lambda f: DateField(validators=[Optional()], **_kwargs(f)), _date_read, _date_show),
    "email": FactWidget(lambda f: EmailField(validators=[Length(max=254)], **_kwargs(f)), _text_read, _identity),
    "url": FactWidget(lambda f: URLField(validators=[Length(max=MAX_LINE)], **_kwargs(f)), _text_read, _identity),
    "rows": FactWidget(_list_build, _list_rows_read, _identity),
}
"""One builder per widget that a fact type of `assess.core.facts.FACT_TYPES` names; a test checks each has one."""


def widget_of(fact: Fact) -> FactWidget:
    """Return how a fact is edited, by its type's widget."""
    return FACT_WIDGETS[FACT_TYPES[fact.type].widget]


def _form_from(fields: Mapping[str, Any], data: Mapping[str, Any], formdata: Any, fresh: bool = False) -> FlaskForm:
    """Return a form of a throwaway class with these fields, showing `data` unless `formdata` was posted
    (`fresh`: showing `data` even while the request posts a form, which Flask-WTF would read)."""
    form_class = type("BuiltForm", (CheckedForm,), dict(fields))
    if fresh:
        return form_class(formdata=None, data=data)
    return form_class(formdata=formdata, data=data) if formdata is not None else form_class(data=data)


def _level_field(question: Question) -> RadioField:
    choices = [c for c in VALUE_CHOICES if c.value != NOT_APPLICABLE or question.allow_na]
    return RadioField(question.text, choices=choices, validators=[Optional()])


def _text_area(label: str) -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=MAX_TEXT)])


def fact_field_name(fact: Fact) -> str:
    """Return the form field name of a fact (dots are not allowed in WTForms names)."""
    return fact.id.replace(".", "__")


def profile_form(
    facts: Iterable[Fact], values: Mapping[str, Any], formdata: Any = None, fresh: bool = False
) -> FlaskForm:
    """Return a form for the facts, showing `values` unless `formdata` was posted (`fresh`: showing
    `values` even during a post)."""
    facts = tuple(facts)
    fields: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for fact in facts:
        name = fact_field_name(fact)
        fields[name] = widget_of(fact).build(fact)
        if fact.id in values:
            data[name] = widget_of(fact).show(values[fact.id])
    form = _form_from(fields, data, formdata, fresh)
    for fact in facts:
        if fact.type == "list":
            field = form[fact_field_name(fact)]
            while len(field.entries) < len(values.get(fact.id, [])) + 2:
                field.append_entry()
    form.facts = facts  # type: ignore[attr-defined]
    return form


def profile_values(form: FlaskForm) -> tuple[dict[str, Any], bool]:
    """Return the posted profile values and whether every one is valid (errors go on the fields)."""
    values: dict[str, Any] = {}
    ok = True
    for fact in form.facts:  # type: ignore[attr-defined]
        field = form[fact_field_name(fact)]
        value = widget_of(fact).read(field.data)
        if value in ("", [], None):
            continue
        try:
            values[fact.id] = check_fact_value(fact, value)
        except FactProblem as problem:
            message = str(problem)
            field.errors = [*field.errors, message[0].upper() + message[1:] + "."]
            ok = False
    return values, ok


# --- answering ------------------------------------------------------------------------------


def answer_field_names(question: Question) -> dict[str, str]:
    """Return part -> form field name for one question's inputs."""
    return {part: f"{part}:{question.id}" for part in ("value", "reason", "note", "evidence")}


def answer_form(questions: Iterable[Question], stored: Mapping[str, StoredAnswer], formdata: Any = None) -> FlaskForm:
    """Return the form of one answering page, showing the stored answers unless `formdata` was posted."""
    questions = tuple(questions)
    fields: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for question in questions:
        names = answer_field_names(question)
        fields[names["value"]] = _level_field(question)
        fields[names["reason"]] = _text_area("Why is it not applicable?")
        fields[names["note"]] = _text_area("Note")
        fields[names["evidence"]] = _text_area("Evidence")
        answer = stored.get(question.id)
        if answer is not None:
            data[names["value"]] = "" if answer.value is None else str(answer.value)
            data[names["reason"]] = answer.reason
            data[names["note"]] = answer.note
            data[names["evidence"]] = answer.evidence
    form = _form_from(fields, data, formdata)
    form.questions = questions  # type: ignore[attr-defined]
    return form


def answer_changes(
    form: FlaskForm, stored: Mapping[str, StoredAnswer], posted: Mapping[str, Any] | None = None
) -> tuple[dict[str, Edit], bool]:
    """Return the answers posted on a page as edits, and whether all are valid (problems go on the fields).

    Each question's hidden ``rev:<id>`` says which revision the page showed; only the parts whose
    inputs were posted count as set. A question posted without a revision keeps the old rules: left
    blank with nothing typed it keeps whatever was stored, and typing a note never erases the level.
    A ``resolve:<id>`` of "theirs" drops the question, "mine" writes it over the newer version,
    and "both" keeps both versions of the note and evidence.
    """
    posted = posted if posted is not None else {}
    changes: dict[str, Edit] = {}
    ok = True
    for question in form.questions:  # type: ignore[attr-defined]
        names = answer_field_names(question)
        fields = {part: form[name] for part, name in names.items()}
        try:
            value = parse_value(fields["value"].data)
        except ValueError:
            fields["value"].errors = [*fields["value"].errors, "Choose one of the levels shown."]
            ok = False
            continue
        texts = {part: _text(fields[part].data) for part in ("reason", "note", "evidence")}
        old = stored.get(question.id)
        base = posted_revision(posted.get(f"rev:{question.id}"))
        resolution = posted.get(f"resolve:{question.id}")
        if resolution == "theirs":
            continue
        if base is None and value is None and not any(texts.values()):
            continue
        present = {part for part, name in names.items() if name in posted} if base is not None else set(names)
        touched = {"note", "evidence"} & present
        if value is not None:
            touched |= {"value", "reason"}
        elif old is not None:
            value = old.value  # typing a note never erases the level chosen before
        if value is not None:
            problems = answer_problems(value, texts["reason"], question.allow_na)
            if "reason" in problems:
                fields["reason"].errors = [*fields["reason"].errors, "Say why this does not apply."]
                ok = False
                continue
            if "value" in problems:
                fields["value"].errors = [*fields["value"].errors, "Not applicable is not allowed here."]
                ok = False
                continue
        if value != NOT_APPLICABLE:
            texts["reason"] = ""
        if resolution in ("mine", "both") and old is not None:
            # the conflict box set the page's revision to the version it showed: mine is written over
            # that version, and only that one (a change made since is a new conflict)
            if resolution == "both":
                texts["note"] = keep_both(texts["note"], old.note)
                texts["evidence"] = keep_both(texts["evidence"], old.evidence)
            touched = set(PARTS)
        answer = Answer(value, texts["note"], texts["evidence"], texts["reason"])
        changes[question.id] = Edit(answer, base=base, touched=frozenset(touched) if base is not None else None)
    return changes, ok


def _text(raw: Any) -> str:
    """Return a posted text with browsers' CRLF line ends made LF and the ends trimmed."""
    return (raw or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def posted_revision(raw: Any) -> int | None:
    """Return a posted revision number, or None when there is none (or it is not a plain number of
    at most 9 digits: anything else is no revision the app ever drew)."""
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 10:
        return int(raw)
    return None


# --- workshops -------------------------------------------------------------------------------


class WorkshopForm(CheckedForm):
    clauses = SelectMultipleField(
        "Clauses to rate",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description="Leave all unticked to rate the whole questionnaire.",
    )
    max_participants = IntegerField(
        "Most participants",
        default=DEFAULT_MAX_PARTICIPANTS,
        validators=[
            Optional(),  # left out: the default
            NumberRange(1, MAX_PARTICIPANTS_LIMIT, f"Choose a number from 1 to {MAX_PARTICIPANTS_LIMIT}."),
        ],
        description="Once this many have joined, nobody else can: a code seen by outsiders cannot flood the ratings.",
    )


class ConsensusForm(CheckedForm):
    value = SelectField("Agreed level", choices=[SelectChoice("", "Choose…"), *VALUE_CHOICES], default="")
    reason = TextAreaField("Reason, if not applicable", validators=[Length(max=MAX_TEXT)])
    note = TextAreaField("Note (optional)", validators=[Length(max=MAX_TEXT)])


class RatingForm(CheckedForm):
    """One participant's rating of one question: a level (or don't know / not applicable) and a comment."""

    value = RadioField("Your rating", choices=list(VALUE_CHOICES), validators=[Optional()])
    comment = TextAreaField("Comment (optional)", validators=[Length(max=MAX_TEXT)])


class JoinCodeForm(CheckedForm):
    code = StringField("Join code", validators=[DataRequired("Type the code shown on the screen."), Length(max=20)])


class JoinForm(CheckedForm):
    name = StringField(
        "Your name", validators=[Length(max=60)], description="What the facilitator sees next to your ratings."
    )


def rating_form(questions: Iterable[Question], mine: Mapping[str, RatingRow], formdata: Any = None) -> FlaskForm:
    """Return a participant's rating form: a level (or don't know / not applicable) and a comment per question."""
    fields: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for question in questions:
        names = answer_field_names(question)
        fields[names["value"]] = _level_field(question)
        fields[names["note"]] = _text_area("Comment (optional)")
        rating = mine.get(question.id)
        if rating is not None:
            data[names["value"]] = "" if rating.value is None else str(rating.value)
            data[names["note"]] = rating.comment
    return _form_from(fields, data, formdata)
