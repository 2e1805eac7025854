"""Who reads and writes mentoring comments: the mentors of the proposal, its agency's people and
the organising secretariat. Jurors never do."""

import rules

from siwanda.accounts.rules import is_system_admin
from siwanda.proposals.rules import is_head, is_operator, mentors, organises

rules.add_perm(
    "mentoring.view_comments", is_system_admin | organises | is_operator | is_head | mentors
)
rules.add_perm("mentoring.add_comment", mentors)
rules.add_perm("mentoring.reply_comment", is_operator | is_head | mentors)
rules.add_perm("mentoring.assign_mentor", is_system_admin | organises)
