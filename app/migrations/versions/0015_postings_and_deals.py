"""postings and deals: the posting columns of task orders, deals with their signatures and
notes, records confirmed false, and the deal a dispute arose from

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 13:06:17.222235

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('false_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('task_order', 'worker', name='falsekind', native_enum=False, length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['staff_user.id'], name=op.f('fk_false_record_confirmed_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_false_record')),
    sa.UniqueConstraint('kind', 'record_id', name=op.f('uq_false_record_kind_record_id'))
    )
    with op.batch_alter_table('false_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_false_record_confirmed_at'), ['confirmed_at'], unique=False)

    op.create_table('deal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_order_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('accepted', 'priced', 'signed', 'insured', 'paid', 'settled', 'completed', 'cancelled', name='dealstatus', native_enum=False, length=20), nullable=False),
    sa.Column('source', sa.Enum('kiosk', 'staff', name='dealsource', native_enum=False, length=20), nullable=False),
    sa.Column('terminal', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.Column('pay', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('pay_unit', sa.Enum('day', 'hour', 'piece', name='payunit', native_enum=False, length=20), nullable=False),
    sa.Column('worker_price_at', sa.DateTime(), nullable=True),
    sa.Column('worker_price_via', sa.Enum('kiosk', 'staff', name='confirmedvia', native_enum=False, length=20), nullable=True),
    sa.Column('employer_price_at', sa.DateTime(), nullable=True),
    sa.Column('employer_price_via', sa.Enum('kiosk', 'staff', name='confirmedvia', native_enum=False, length=20), nullable=True),
    sa.Column('priced_at', sa.DateTime(), nullable=True),
    sa.Column('agreement_content', sa.Text(), nullable=True),
    sa.Column('agreement_seal', sa.String(length=64), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('verify_token', sa.String(length=43), nullable=False),
    sa.Column('insurer', sa.String(length=60), nullable=True),
    sa.Column('policy_number', sa.String(length=40), nullable=True),
    sa.Column('premium', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('cover_from', sa.Date(), nullable=True),
    sa.Column('cover_to', sa.Date(), nullable=True),
    sa.Column('uninsured_reason', sa.String(length=200), nullable=True),
    sa.Column('insured_at', sa.DateTime(), nullable=True),
    sa.Column('paid_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('paid_method', sa.Enum('cash', 'wechat', 'alipay', 'bank', name='paymentmethod', native_enum=False, length=20), nullable=True),
    sa.Column('paid_reference', sa.String(length=60), nullable=True),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('wage_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('wage_method', sa.Enum('cash', 'wechat', 'alipay', 'bank', name='paymentmethod', native_enum=False, length=20), nullable=True),
    sa.Column('wage_reference', sa.String(length=60), nullable=True),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('cancelled_from', sa.Enum('accepted', 'priced', 'signed', 'insured', 'paid', 'settled', 'completed', 'cancelled', name='dealstatus', native_enum=False, length=20), nullable=True),
    sa.Column('interprovincial_suggested', sa.Boolean(), nullable=False),
    sa.Column('interprovincial_at', sa.DateTime(), nullable=True),
    sa.Column('interprovincial_dismissed_at', sa.DateTime(), nullable=True),
    sa.Column('interprovincial_by_id', sa.Integer(), nullable=True),
    sa.Column('worker_token', sa.String(length=43), nullable=False),
    sa.Column('employer_token', sa.String(length=43), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_deal_created_by_id_staff_user')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_deal_employer_id_employer')),
    sa.ForeignKeyConstraint(['interprovincial_by_id'], ['staff_user.id'], name=op.f('fk_deal_interprovincial_by_id_staff_user')),
    sa.ForeignKeyConstraint(['task_order_id'], ['task_order.id'], name=op.f('fk_deal_task_order_id_task_order')),
    sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_deal_worker_id_worker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal')),
    sa.UniqueConstraint('employer_token', name=op.f('uq_deal_employer_token')),
    sa.UniqueConstraint('verify_token', name=op.f('uq_deal_verify_token')),
    sa.UniqueConstraint('worker_token', name=op.f('uq_deal_worker_token'))
    )
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_accepted_at'), ['accepted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_completed_at'), ['completed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_interprovincial_at'), ['interprovincial_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_paid_at'), ['paid_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_priced_at'), ['priced_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_settled_at'), ['settled_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_signed_at'), ['signed_at'], unique=False)
        batch_op.create_index('ix_deal_status_accepted', ['status', 'accepted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_task_order_id'), ['task_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_worker_id'), ['worker_id'], unique=False)
        batch_op.create_index('uq_deal_worker_order_open', ['worker_id', 'task_order_id'], unique=True,
                              sqlite_where=sa.text("status != 'cancelled'"),
                              postgresql_where=sa.text("status != 'cancelled'"))

    op.create_table('deal_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('negotiation', 'note', name='notekind', native_enum=False, length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['staff_user.id'], name=op.f('fk_deal_note_by_id_staff_user')),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_deal_note_deal_id_deal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_note'))
    )
    with op.batch_alter_table('deal_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_note_deal_id'), ['deal_id'], unique=False)

    op.create_table('deal_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.Enum('worker', 'employer', name='side', native_enum=False, length=20), nullable=False),
    sa.Column('signer', sa.String(length=40), nullable=False),
    sa.Column('png', sa.LargeBinary(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('terminal', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_deal_signature_deal_id_deal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_signature')),
    sa.UniqueConstraint('deal_id', 'side', name=op.f('uq_deal_signature_deal_id_side'))
    )
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deal_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_dispute_case_deal_id'), ['deal_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_dispute_case_deal_id_deal'), 'deal', ['deal_id'], ['id'])

    with op.batch_alter_table('task_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requirements', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('duration_days', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('outside_fujian', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('taken', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('close_reason', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('need_solved_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_task_order_need_solved_at'), ['need_solved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_order_valid_until'), ['valid_until'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_task_order_created_by_id_staff_user'), 'staff_user', ['created_by_id'], ['id'])


    # Postings published before this revision stay on the board until their work date.
    op.execute("UPDATE task_order SET valid_until = work_date WHERE status = 'published'")


def downgrade():
    with op.batch_alter_table('task_order', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_order_created_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_task_order_valid_until'))
        batch_op.drop_index(batch_op.f('ix_task_order_need_solved_at'))
        batch_op.drop_column('need_solved_at')
        batch_op.drop_column('close_reason')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('taken')
        batch_op.drop_column('valid_until')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('outside_fujian')
        batch_op.drop_column('duration_days')
        batch_op.drop_column('requirements')

    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dispute_case_deal_id_deal'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_dispute_case_deal_id'))
        batch_op.drop_column('deal_id')

    op.drop_table('deal_signature')
    with op.batch_alter_table('deal_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_note_deal_id'))

    op.drop_table('deal_note')
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.drop_index('uq_deal_worker_order_open')
        batch_op.drop_index(batch_op.f('ix_deal_worker_id'))
        batch_op.drop_index(batch_op.f('ix_deal_task_order_id'))
        batch_op.drop_index('ix_deal_status_accepted')
        batch_op.drop_index(batch_op.f('ix_deal_signed_at'))
        batch_op.drop_index(batch_op.f('ix_deal_settled_at'))
        batch_op.drop_index(batch_op.f('ix_deal_priced_at'))
        batch_op.drop_index(batch_op.f('ix_deal_paid_at'))
        batch_op.drop_index(batch_op.f('ix_deal_interprovincial_at'))
        batch_op.drop_index(batch_op.f('ix_deal_employer_id'))
        batch_op.drop_index(batch_op.f('ix_deal_completed_at'))
        batch_op.drop_index(batch_op.f('ix_deal_accepted_at'))

    op.drop_table('deal')
    with op.batch_alter_table('false_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_false_record_confirmed_at'))

    op.drop_table('false_record')
