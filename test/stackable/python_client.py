"""Calls Custos's Stackable Customer service with Debian's python3-thrift (THttpClient + TBinaryProtocol).

No generated code: the call and the reply are written and read with the library's protocol
primitives, as the IDL (src/protocols/stackable/customer.thrift) lays them out, so this is a
second, independent reading of the wire format. Prints a JSON summary for the test to compare.
"""
import base64, hashlib, hmac, json, sys
from datetime import datetime, timezone
from thrift.protocol import TBinaryProtocol
from thrift.Thrift import TMessageType, TType, TApplicationException
from thrift.transport import THttpClient, TTransport

base, key_id, secret, customer_id = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def call(name, write_args, read_success):
    buf = TTransport.TMemoryBuffer()
    p = TBinaryProtocol.TBinaryProtocol(buf)
    p.writeMessageBegin(name, TMessageType.CALL, 1)
    p.writeStructBegin(name + "_args")
    write_args(p)
    p.writeFieldStop()
    p.writeStructEnd()
    p.writeMessageEnd()
    body = buf.getvalue()
    date = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    sig = base64.b64encode(hmac.new(secret.encode(), date.encode() + body, hashlib.sha1).digest()).decode()
    http = THttpClient.THttpClient(base + "/thrift/Customer")
    http.setCustomHeaders({"Customer-Key-ID": key_id, "Signature": sig, "Signature-Version": "1", "Signature-Method": "HMAC/SHA1", "Signature-Created": date})
    http.write(body)
    http.flush()
    r = TBinaryProtocol.TBinaryProtocol(http)
    _, mtype, _ = r.readMessageBegin()
    if mtype == TMessageType.EXCEPTION:
        e = TApplicationException()
        e.read(r)
        raise e
    out = {}
    r.readStructBegin()
    while True:
        _, ftype, fid = r.readFieldBegin()
        if ftype == TType.STOP:
            break
        if fid == 0:
            out["success"] = read_success(r)
        elif fid == 1:  # InvalidArguments {1: message, 2: code, 3: fields}
            err = {}
            r.readStructBegin()
            while True:
                _, t, i = r.readFieldBegin()
                if t == TType.STOP:
                    break
                if i == 1:
                    err["message"] = r.readString()
                elif i == 2:
                    err["code"] = r.readString()
                elif i == 3:
                    _, n = r.readListBegin()
                    err["fields"] = [r.readString() for _ in range(n)]
                    r.readListEnd()
                else:
                    r.skip(t)
                r.readFieldEnd()
            r.readStructEnd()
            out["invalidArguments"] = err
        else:
            r.skip(ftype)
        r.readFieldEnd()
    r.readStructEnd()
    r.readMessageEnd()
    return out


def customer_id_arg(p):
    p.writeFieldBegin("id", TType.I32, 1)
    p.writeI32(customer_id)
    p.writeFieldEnd()


def pin_args(p):
    customer_id_arg(p)
    p.writeFieldBegin("pin", TType.STRING, 2)
    p.writeString("x")
    p.writeFieldEnd()


username = call("getUsername", customer_id_arg, lambda r: r.readString())["success"]
bad = call("changePIN", pin_args, lambda r: None)["invalidArguments"]
print(json.dumps({"username": username, "bad_pin": bad["code"], "bad_pin_fields": bad["fields"]}))
