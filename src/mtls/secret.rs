//! Carrying the proxy's certificates to a container that has no volume: one
//! JSON secret whose fields the task injects as environment variables, which
//! the rendered entrypoint writes back to files.

use std::path::Path;

use super::{MtlsError, CA_CERT_FILE, SERVER_CERT_FILE, SERVER_KEY_FILE};

/// One certificate file as it travels: environment variable, JSON key, file name.
pub struct SecretField {
    pub env: &'static str,
    pub json_key: &'static str,
    pub file: &'static str,
}

pub const SECRET_FIELDS: [SecretField; 3] = [
    SecretField {
        env: "XAPI_MTLS_SERVER_CERT",
        json_key: "server_cert",
        file: SERVER_CERT_FILE,
    },
    SecretField {
        env: "XAPI_MTLS_SERVER_KEY",
        json_key: "server_key",
        file: SERVER_KEY_FILE,
    },
    SecretField {
        env: "XAPI_MTLS_CLIENT_CA",
        json_key: "client_ca",
        file: CA_CERT_FILE,
    },
];

/// The secret's JSON: the server certificate and key and the client CA from
/// `dir` (as `xapi mtls certs` writes them). The CA's key is never included.
pub fn secret_payload(dir: &Path) -> Result<String, MtlsError> {
    let mut fields = serde_json::Map::new();
    for f in &SECRET_FIELDS {
        let path = dir.join(f.file);
        let pem = std::fs::read_to_string(&path).map_err(|source| MtlsError::Io {
            path: path.clone(),
            source,
        })?;
        if !pem.trim_start().starts_with("-----BEGIN ") {
            return Err(MtlsError::Cert(format!(
                "{} is not a PEM file",
                path.display()
            )));
        }
        fields.insert(
            f.json_key.to_owned(),
            serde_json::Value::String(pem.trim_end().to_owned()),
        );
    }
    Ok(serde_json::Value::Object(fields).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_carries_the_three_pems_and_never_the_ca_key() {
        let dir = tempfile::tempdir().unwrap();
        for (file, body) in [
            (
                SERVER_CERT_FILE,
                "-----BEGIN CERTIFICATE-----\nS\n-----END CERTIFICATE-----\n",
            ),
            (
                SERVER_KEY_FILE,
                "-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n",
            ),
            (
                CA_CERT_FILE,
                "-----BEGIN CERTIFICATE-----\nC\n-----END CERTIFICATE-----\n",
            ),
            (
                super::super::CA_KEY_FILE,
                "-----BEGIN PRIVATE KEY-----\nCAKEY\n-----END PRIVATE KEY-----\n",
            ),
        ] {
            std::fs::write(dir.path().join(file), body).unwrap();
        }
        let payload = secret_payload(dir.path()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 3);
        assert!(v["server_key"].as_str().unwrap().contains("\nK\n"));
        assert!(!payload.contains("CAKEY"));

        std::fs::write(dir.path().join(CA_CERT_FILE), "not a pem").unwrap();
        assert!(
            matches!(secret_payload(dir.path()), Err(MtlsError::Cert(m)) if m.contains(CA_CERT_FILE))
        );
        std::fs::remove_file(dir.path().join(CA_CERT_FILE)).unwrap();
        assert!(matches!(
            secret_payload(dir.path()),
            Err(MtlsError::Io { .. })
        ));
    }
}
