"""Pages of the notifications app: each user's inbox and e-mail choices (`inbox`), the
staff's outbox (`outbox`) and the operations health page (`health`)."""
