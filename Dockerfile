FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY iplayout ./iplayout
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["iplayout", "serve", "--host", "0.0.0.0", "--port", "8000"]
