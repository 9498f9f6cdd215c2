-- Several typed attachments (申请材料) per filing (issue 8 item 5): the
-- contract text, 登记表, business licence, authorisation, IP certificates,
-- invoices and others (domain.AttachmentKinds), each with its content type
-- sniffed at upload, size, SHA-256, uploader and time.
CREATE TABLE contract_attachments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id BIGINT NOT NULL REFERENCES contracts (id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  uploaded_by BIGINT NOT NULL DEFAULT 0,
  uploader TEXT NOT NULL DEFAULT '',
  uploaded_at TEXT NOT NULL
);
CREATE INDEX contract_attachments_contract ON contract_attachments (contract_id, kind, id);

-- The one contract document a filing had becomes its 合同文本 attachment
-- (the uploader was not recorded: the filing's creator, who alone could
-- upload it then besides the registrar).
INSERT INTO contract_attachments (contract_id, kind, name, mime, size, sha256, content, uploaded_by, uploader, uploaded_at)
SELECT d.contract_id, 'contract_text', d.name, 'application/pdf', d.size, d.sha256, d.content, c.created_by, COALESCE(u.username, ''), d.uploaded_at
FROM contract_documents d JOIN contracts c ON c.id = d.contract_id LEFT JOIN users u ON u.id = c.created_by
ORDER BY d.contract_id;

DROP TABLE contract_documents;
