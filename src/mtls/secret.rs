//! Carrying the proxy's certificates to a container that has no volume: one
//! JSON secret whose fields the task injects as environment variables, which
//! the rendered entrypoint writes back to files.

use std::path::Path;

use super::{
    issuer_pin_conf, read_crls, MtlsError, CA_CERT_FILE, CRL_FILE, ISSUER_PIN_FILE,
    SERVER_CERT_FILE, SERVER_KEY_FILE,
};

/// One certificate file as it travels: environment variable, JSON key, file name.
pub struct SecretField {
    pub env: &'static str,
    pub json_key: &'static str,
    pub file: &'static str,
}

pub const SECRET_FIELDS: [SecretField; 5] = [
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
    SecretField {
        env: "XAPI_MTLS_CRL",
        json_key: "crl",
        file: CRL_FILE,
    },
    SecretField {
        env: "XAPI_MTLS_ISSUER_PIN",
        json_key: "issuer_pin",
        file: ISSUER_PIN_FILE,
    },
];

/// The secret's JSON: the server certificate and key, the client CA and the
/// CRL from `dir` (as `xapi mtls certs` writes them), and the issuer pin
/// derived from that CA here, so a stale or edited `issuer-pin.conf` is never
/// shipped. The CA's key is never included.
pub fn secret_payload(dir: &Path) -> Result<String, MtlsError> {
    let mut fields = serde_json::Map::new();
    let mut ca_pem = String::new();
    for f in SECRET_FIELDS.iter().filter(|f| f.file != ISSUER_PIN_FILE) {
        let path = dir.join(f.file);
        if f.file == CRL_FILE && !path.exists() {
            return Err(MtlsError::Cert(format!(
                "{} is missing: the proxy enforces revocations from it; re-issue the directory \
                 with `xapi mtls certs`, which writes an empty CRL",
                path.display()
            )));
        }
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
        if f.file == CRL_FILE {
            read_crls(&pem).map_err(|e| MtlsError::Cert(format!("{}: {e}", path.display())))?;
        }
        if f.file == CA_CERT_FILE {
            ca_pem.clone_from(&pem);
        }
        fields.insert(
            f.json_key.to_owned(),
            serde_json::Value::String(pem.trim_end().to_owned()),
        );
    }
    let crl = SECRET_FIELDS
        .iter()
        .find(|f| f.file == CRL_FILE)
        .and_then(|f| fields.get(f.json_key))
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    super::crl::check_crls_belong(&ca_pem, crl)
        .map_err(|e| MtlsError::Cert(format!("{}: {e}", dir.join(CRL_FILE).display())))?;
    let pin = issuer_pin_conf(&ca_pem)?;
    fields.insert(
        "issuer_pin".to_owned(),
        serde_json::Value::String(pin.trim_end().to_owned()),
    );
    Ok(serde_json::Value::Object(fields).to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::mtls::{write_certs, CertRequest, CA_KEY_FILE};

    #[test]
    fn payload_carries_certs_crl_and_a_derived_pin_never_the_ca_key() {
        let dir = tempfile::tempdir().unwrap();
        let req = CertRequest {
            server_name: "mtls.example.internal".into(),
            clients: vec!["alice".into()],
            days: 2,
            ca: None,
            chain_crls: None,
            rotate_ca: false,
        };
        write_certs(dir.path(), &req, false).unwrap();
        let ca_key = std::fs::read_to_string(dir.path().join(CA_KEY_FILE)).unwrap();
        // A planted pin that admits everyone must not travel.
        std::fs::write(dir.path().join(ISSUER_PIN_FILE), "ssl_verify_depth 9;\n").unwrap();

        let payload = secret_payload(dir.path()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&payload).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "server_cert",
                "server_key",
                "client_ca",
                "crl",
                "issuer_pin"
            ]
        );
        assert!(v["crl"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN X509 CRL-----"));
        let pin = v["issuer_pin"].as_str().unwrap();
        assert!(pin.contains("ssl_verify_depth 0;"), "{pin}");
        assert!(
            pin.contains("$ssl_client_i_dn != \"CN=xapi mTLS CA "),
            "{pin}"
        );
        assert!(!payload.contains(ca_key.trim().lines().nth(1).unwrap()));

        std::fs::write(
            dir.path().join(CRL_FILE),
            "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        assert!(
            matches!(secret_payload(dir.path()), Err(MtlsError::Cert(m)) if m.contains(CRL_FILE))
        );
        std::fs::remove_file(dir.path().join(CRL_FILE)).unwrap();
        assert!(
            matches!(secret_payload(dir.path()), Err(MtlsError::Cert(m)) if m.contains("mtls certs"))
        );
        std::fs::write(dir.path().join(CA_CERT_FILE), "not a pem").unwrap();
        assert!(
            matches!(secret_payload(dir.path()), Err(MtlsError::Cert(m)) if m.contains(CA_CERT_FILE))
        );
    }
}
