"""A package for the LY405 sample of callees imported relatively (`from .mailer import send`)."""
