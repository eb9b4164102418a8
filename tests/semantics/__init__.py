"""The checks of tests/template_semantics.py: reading the templates (`reading`), a small IAM
model (`iam`), the AWS behaviours (`checks`) and the two variants kept alike (`variants`)."""
