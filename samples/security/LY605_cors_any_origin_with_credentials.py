# sample-select: LY6
"""CORS for every origin with credentials, and origin lists."""
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask
from flask_cors import CORS

api = FastAPI()
# Ünïcödé 🙂
api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)  # expect: LY605
flask_app = Flask(__name__)
CORS(flask_app, supports_credentials=True)  # expect: LY605

# --- safe look-alikes -------------------------------------------------------------------------

api.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
api.add_middleware(CORSMiddleware, allow_origins=["*"])
CORS(flask_app, origins=["https://app.example.com"], supports_credentials=True)
