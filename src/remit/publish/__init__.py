"""Publishing a closed period: the complete SEC filing (Form 8-K or 10-D around the
statement), and the statement in every format (HTML, PDF, CSV, XLSX, JSON, EDGAR text) with a
factor file for data vendors. Everything is rendered from the one statement model."""
