package org.jwws.client;

/** The envelope fields of a publication besides its data, and whether to wait for the ack. */
public class PublishOptions {

  private int code = 200;
  private String msg = "";
  private boolean ack;

  public int getCode() {
    return code;
  }

  public PublishOptions setCode(int code) {
    this.code = code;
    return this;
  }

  public String getMsg() {
    return msg;
  }

  public PublishOptions setMsg(String msg) {
    this.msg = msg;
    return this;
  }

  public boolean isAck() {
    return ack;
  }

  /** Send an id and complete with the gateway's acknowledgement (without: complete once written). */
  public PublishOptions setAck(boolean ack) {
    this.ack = ack;
    return this;
  }
}
