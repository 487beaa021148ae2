package org.fedledger.ledger.training;

/**
 * The names of the training module's messages ({@code TxBody.module} is {@link #MODULE}, {@code
 * TxBody.message_type} one of the others). Senders (node agents, cli) use these, never literals.
 */
public final class TrainingMessages {
  public static final String MODULE = TrainingModule.NAME;

  public static final String CREATE_JOB = "CreateJob";
  public static final String JOIN_JOB = "JoinJob";
  public static final String START_JOB = "StartJob";
  public static final String SUBMIT_UPDATE = "SubmitUpdate";
  public static final String COMMIT_ROUND = "CommitRound";
  public static final String ATTEST_ROUND = "AttestRound";
  public static final String REPORT_METRICS = "ReportMetrics";
  public static final String REPORT_EVALUATION = "ReportEvaluation";
  public static final String ADVANCE = "Advance";
  public static final String CANCEL_JOB = "CancelJob";
  public static final String WITHDRAW_ESCROW = "WithdrawEscrow";

  private TrainingMessages() {}
}
