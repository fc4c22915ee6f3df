from wtforms import BooleanField, PasswordField, SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from app.forms import HallForm
from app.models import Role

USERNAME = [DataRequired("请输入用户名"), Length(3, 40, "用户名为3到40个字符"),
            Regexp(r"^[A-Za-z0-9_.-]+$", message="用户名只能用字母、数字、下划线、点和横线")]
NEW_PASSWORD = [DataRequired("请输入密码"), Length(10, 128, "密码至少10个字符")]


class LoginForm(HallForm):
    username = StringField(validators=[DataRequired("请输入用户名")])
    password = PasswordField(validators=[DataRequired("请输入密码")])


class UserForm(HallForm):
    username = StringField(validators=USERNAME)
    display_name = StringField(validators=[DataRequired("请输入姓名"), Length(1, 40, "姓名最多40个字")])
    role = SelectField(choices=[SelectChoice(r.value, r.label) for r in Role], default=Role.STAFF.value,
                       validate_choice=False)
    password = PasswordField(validators=NEW_PASSWORD)
    password2 = PasswordField(validators=[EqualTo("password", "两次输入的密码不一致")])
    full_time = BooleanField(default=True)  # 专职 (item B5 counts full-time staff)

    def validate_role(self, field) -> None:
        if field.data not in {r.value for r in Role}:
            raise ValidationError("请选择角色")


class SetupForm(UserForm):
    """The first account is always a manager (full-time: it can be changed later)."""

    role = None
    full_time = None
