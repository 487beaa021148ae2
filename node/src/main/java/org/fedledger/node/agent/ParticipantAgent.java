package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.core.proto.training.SubmitUpdate;
import org.fedledger.learning.attack.Attack;
import org.fedledger.learning.client.ClientSeeds;
import org.fedledger.learning.client.ClientStep;
import org.fedledger.learning.client.LocalUpdate;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.ledger.training.RoundPhase;
import org.fedledger.ledger.training.TrainingMessages;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data owner's agent: when a round of a job it joined selects it, it fetches the global weights
 * by hash, trains on its local data, stores the update (the weight delta) as a blob it serves, and
 * submits SubmitUpdate. Its training is the simulation's {@link ClientStep}, so a malicious agent
 * attacks as a simulated client does: an {@link Attack} poisons its labels, its delta or both (for
 * demos and tests of the defences).
 *
 * <p>A job may ask for more (see {@link OwnerJobData}): a local test split, held out from training,
 * on which the agent evaluates every final round that selected it and reports the metrics ({@link
 * EvaluationReporter}); and a statistics step before round 1, in which it reports the feature
 * statistics of its training data ({@link StatisticsStep}) and after which it trains and evaluates
 * on data standardized with the attested combination.
 *
 * <p>Its seeds come from the chain, as a simulation of the same job derives them ({@link
 * ClientSeeds}): the job's seed, the round and the agent's index in the job (its position in the
 * member list). So do the local epochs, batch size and learning rate when the job sets them ({@link
 * JobTraining}); the agent's own settings fill in the rest.
 *
 * <p>When a job selects every member every round, an agent knows it will train the next round as
 * soon as this round's aggregate is committed, and with what: the committed weights, its seed, the
 * job's settings. It trains then, while the verifiers check the aggregate, and submits the result
 * the moment the round opens if the round starts from those weights; otherwise (the verifiers
 * rejected the aggregate, the member list changed) it throws the result away and trains again.
 */
public final class ParticipantAgent extends AgentLoop {
  private static final Logger log = LoggerFactory.getLogger(ParticipantAgent.class);
  // The statistics step of a job that standardizes (CreateJob.standardize).
  private static final long STATISTICS_ROUND = 0;

  private final TxSender tx;
  private final BlobSource blobs;
  private final BlobStore store;
  private final String blobUrl;
  private final BlobServerAnnouncement announcement;
  private final LabeledData data;
  private final TrainConfig trainConfig;
  private final Attack attack;
  private final JobMarks done = new JobMarks();

  /** Per job, the update trained ahead for its next round, until that round opens. */
  private final Map<Hash, Ahead> ahead = new HashMap<>();

  private final AtomicInteger submittedAhead = new AtomicInteger();
  private final AtomicInteger discardedAhead = new AtomicInteger();

  /** Per job, this owner's data split (and standardized) as the job says. */
  private final Map<Hash, OwnerJobData> jobData = new HashMap<>();

  private final EvaluationReporter evaluations;
  // The running jobs this owner trains in, kept after they leave the live index until their last
  // round is evaluated (endedAwaitingEvaluation).
  private final Set<Hash> trainingIn = new HashSet<>();

  private LocalTrainer trainer;
  private ModelSpec trainerSpec;

  /**
   * @param blobUrl the base URL of the blob server holding store, given to the chain as location
   * @param attack null for an honest participant
   */
  public ParticipantAgent(
      String name,
      TxSender tx,
      BlobSource blobs,
      String blobUrl,
      LabeledData data,
      TrainConfig trainConfig,
      Attack attack) {
    super(name);
    this.tx = tx;
    this.blobs = blobs;
    this.store = blobs.client().local();
    this.blobUrl = blobUrl;
    this.announcement = new BlobServerAnnouncement(tx, blobUrl);
    this.data = data;
    this.trainConfig = trainConfig;
    this.attack = attack;
    this.evaluations =
        new EvaluationReporter(
            name,
            tx,
            blobs,
            new EvaluationReporter.Owner() {
              @Override
              public OwnerJobData data(TrainingState chain, Job job) throws Exception {
                return jobData(chain, job);
              }

              @Override
              public LocalTrainer trainer(Job job) {
                return trainerFor(job);
              }
            });
  }

  public ParticipantAgent start() {
    start(tx.chain());
    return this;
  }

  public Address address() {
    return tx.address();
  }

  public boolean malicious() {
    return attack != null;
  }

  /** Updates this agent trained before their round opened and then submitted. */
  public int submittedAhead() {
    return submittedAhead.get();
  }

  /** Updates this agent trained before their round opened and then threw away. */
  public int discardedAhead() {
    return discardedAhead.get();
  }

  @Override
  void step() throws Exception {
    TrainingState chain = new TrainingState(tx.chain().ledger());
    ByteString me = TrainingState.bytes(tx.address());
    List<Job> running = new ArrayList<>();
    Set<Hash> live = new HashSet<>();
    List<Job> jobs = new ArrayList<>(chain.jobs());
    Set<Hash> listed = new HashSet<>();
    for (Job job : jobs) {
      listed.add(TrainingState.id(job));
    }
    jobs.addAll(endedAwaitingEvaluation(chain, listed, me));
    for (Job job : jobs) {
      if (job.getStatus() == JobStatus.JOB_RUNNING) {
        running.add(job);
        live.add(TrainingState.id(job));
        if (job.getParticipantsList().contains(me)) {
          trainingIn.add(TrainingState.id(job));
        }
      } else if (job.getStatus() == JobStatus.JOB_OPEN && job.getParticipantsList().contains(me)) {
        live.add(TrainingState.id(job));
        prefetchInitial(job);
      }
    }
    ahead.keySet().retainAll(live);
    jobData.keySet().retainAll(live);
    done.retain(live);
    for (Job job : running) {
      if (!job.getParticipantsList().contains(me)) {
        continue;
      }
      Hash id = TrainingState.id(job);
      Round round = chain.round(id, job.getCurrentRound()).orElse(null);
      if (round != null && round.getRound() == STATISTICS_ROUND) {
        reportStatistics(chain, job, round, me);
        continue;
      }
      if (round != null && RoundPhase.of(job, round, chain.height()).awaitsAttestations()) {
        prefetchCommitted(job, round);
        trainAhead(chain, job, round);
        if (closed()) {
          return;
        }
        continue;
      }
      if (round == null
          || !RoundPhase.takesUpdates(round, chain.height())
          || !round.getSelectedList().contains(me)) {
        continue;
      }
      boolean submitted = false;
      for (Submission s : round.getSubmissionsList()) {
        submitted |= s.getParticipant().equals(me);
      }
      String key = "submitted/" + round.getRound() + "/" + round.getReopenCount();
      if (submitted || !done.add(id, key)) {
        continue;
      }
      try {
        long r = round.getRound();
        Hash global = chain.globalBefore(job, r);
        Ahead trained = ahead.remove(id);
        if (trained != null && trained.inputs().equals(inputs(job, r, global))) {
          submittedAhead.incrementAndGet();
          submit(job, r, trained.update());
        } else {
          if (trained != null) {
            discardedAhead.incrementAndGet();
          }
          Weights weights = blobs.weights(global, chain.globalLocation(job, r).orElse(null));
          submit(job, r, trainUpdate(chain, job, r, weights));
        }
      } catch (Exception e) {
        done.remove(id, key); // retried on the next block while the round is open
        throw e;
      }
      if (closed()) {
        return;
      }
    }
    evaluations.reportDue(chain, jobs, me);
  }

  /**
   * The jobs this owner trained in that have left the chain's index of live jobs (completed or
   * cancelled) and whose last round still awaits its evaluation, read once each by id; a job that
   * awaits nothing more is forgotten. The index holds only open and running jobs, and a completed
   * job's last round is evaluated after it completes.
   */
  private List<Job> endedAwaitingEvaluation(TrainingState chain, Set<Hash> listed, ByteString me) {
    List<Job> ended = new ArrayList<>();
    for (Iterator<Hash> it = trainingIn.iterator(); it.hasNext(); ) {
      Hash id = it.next();
      if (listed.contains(id)) {
        continue;
      }
      Optional<Job> job = chain.job(id);
      if (job.isPresent()
          && job.get().getStatus() == JobStatus.JOB_COMPLETED
          && evaluations.awaits(chain, job.get(), me)) {
        ended.add(job.get());
      } else {
        it.remove();
      }
    }
    return ended;
  }

  /**
   * The statistics step: reports the feature statistics of the data this owner trains on for the
   * job, as an update blob, once. Nothing is trained, so nothing is trained ahead either.
   */
  private void reportStatistics(TrainingState chain, Job job, Round round, ByteString me)
      throws Exception {
    if (!RoundPhase.takesUpdates(round, chain.height()) || !round.getSelectedList().contains(me)) {
      return;
    }
    for (Submission s : round.getSubmissionsList()) {
      if (s.getParticipant().equals(me)) {
        return;
      }
    }
    Hash id = TrainingState.id(job);
    String key = "statistics/" + round.getReopenCount();
    if (!done.add(id, key)) {
      return;
    }
    try {
      OwnerJobData mine = OwnerJobData.of(job, data, TrainingState.memberIndex(job, tx.address()));
      FeatureStatistics statistics = mine.statistics();
      Hash hash = store.put(statistics.toBytes());
      announcement.ensure();
      tx.send(
          TrainingMessages.MODULE,
          TrainingMessages.SUBMIT_UPDATE,
          SubmitUpdate.newBuilder()
              .setJobId(job.getJobId())
              .setRound(STATISTICS_ROUND)
              .setUpdateHash(hash.toByteString())
              .setSampleCount(mine.train().size())
              .setBlobLocation(blobUrl)
              .build());
      log.info(
          "{}: reported the feature statistics of {} samples ({})",
          name(),
          mine.train().size(),
          hash.toHex().substring(0, 12));
    } catch (Exception e) {
      done.remove(id, key); // retried on the next block while the step is open
      throw e;
    }
  }

  /**
   * This owner's data as the job sees it: its local test split held out and, in a job that
   * standardizes, both parts standardized with the attested statistics (fetched once).
   *
   * @throws BlobException if the job's attested statistics cannot be had yet
   */
  private OwnerJobData jobData(TrainingState chain, Job job) throws BlobException {
    Hash id = TrainingState.id(job);
    OwnerJobData mine = jobData.get(id);
    if (mine == null) {
      mine = OwnerJobData.of(job, data, TrainingState.memberIndex(job, tx.address()));
    }
    if (job.getSpec().getStandardize() && !mine.isStandardized()) {
      Round statistics =
          chain
              .round(id, STATISTICS_ROUND)
              .orElseThrow(() -> new IllegalStateException("the statistics step is missing"));
      mine =
          mine.standardized(StatisticsStep.standardization(blobs, job, statistics).orElseThrow());
    }
    jobData.put(id, mine);
    return mine;
  }

  /** This agent's trainer, made anew when a job of another model comes along. */
  private LocalTrainer trainerFor(Job job) {
    ModelSpec spec = ModelSpecs.fromJson(job.getSpec().getModelSpec());
    if (trainer == null || !spec.equals(trainerSpec)) {
      if (trainer != null) {
        trainer.close();
      }
      trainer = LocalTrainer.create(spec);
      trainerSpec = spec;
    }
    return trainer;
  }

  /**
   * Fetches the initial weights of a job this agent joined, before the job starts, so that its
   * first round starts without a download. A failure only means they are fetched when the round
   * opens.
   */
  private void prefetchInitial(Job job) {
    Hash id = TrainingState.id(job);
    if (!done.add(id, "initial fetched")) {
      return;
    }
    try {
      blobs.fetch(TrainingState.hash(job.getSpec().getInitialWeightsHash()), null);
    } catch (BlobException e) {
      done.remove(id, "initial fetched"); // tried again on the next block
      log.debug("{}: prefetching a job's initial weights: {}", name(), e.getMessage());
    }
  }

  /**
   * While the verifiers check a committed aggregate, fetches it: once they accept it, it is the
   * next round's global weights, and training starts without waiting for the download. A failure
   * only means the weights are fetched when the round opens.
   */
  private void prefetchCommitted(Job job, Round round) {
    if (round.getRound() >= job.getSpec().getRounds()) {
      return;
    }
    CommitRound commit = round.getCommit();
    Hash aggregate = TrainingState.hash(commit.getAggregateHash());
    if (!done.add(TrainingState.id(job), "fetched " + aggregate.toHex())) {
      return;
    }
    try {
      blobs.fetch(aggregate, commit.getBlobLocation());
    } catch (BlobException e) {
      log.debug(
          "{}: prefetching round {}'s aggregate: {}", name(), round.getRound(), e.getMessage());
    }
  }

  /**
   * Trains round + 1 of job from round's committed aggregate, if the job selects every member every
   * round (so this agent is sure to be selected) and round is not the last. A failure only means
   * the round is trained when it opens.
   */
  private void trainAhead(TrainingState chain, Job job, Round round) throws Exception {
    long next = round.getRound() + 1;
    if (next > job.getSpec().getRounds()
        || job.getSpec().getParticipantsPerRound() < job.getParticipantsCount()) {
      return;
    }
    Hash id = TrainingState.id(job);
    CommitRound commit = round.getCommit();
    Hash global = TrainingState.hash(commit.getAggregateHash());
    String inputs = inputs(job, next, global);
    Ahead already = ahead.get(id);
    if (already != null) {
      if (already.inputs().equals(inputs)) {
        return;
      }
      discardedAhead.incrementAndGet(); // trained on an aggregate the verifiers rejected
    }
    Weights weights;
    try {
      weights = blobs.weights(global, commit.getBlobLocation());
    } catch (BlobException e) {
      log.debug("{}: training round {} ahead: {}", name(), next, e.getMessage());
      return;
    }
    ahead.put(id, new Ahead(inputs, trainUpdate(chain, job, next, weights)));
  }

  /**
   * What an update for round r of job depends on besides the job's fixed settings and this agent's
   * data: the global weights and the agent's index in the member list (its seeds).
   */
  private String inputs(Job job, long r, Hash global) {
    return r + "/" + global.toHex() + "/" + TrainingState.memberIndex(job, tx.address());
  }

  /** Trains round r of job from global and stores the update (the weight delta) as a blob. */
  private Update trainUpdate(TrainingState chain, Job job, long r, Weights global)
      throws Exception {
    LocalTrainer model = trainerFor(job);
    LabeledData trainOn = jobData(chain, job).train();
    int index = TrainingState.memberIndex(job, tx.address());
    ClientStep step =
        ClientStep.builder()
            .setTrainConfig(JobTraining.of(job.getSpec(), trainConfig, r))
            .optAttack(attack)
            .optPrivacy(JobTraining.privacy(job.getSpec()).orElse(null))
            .build();
    // Participants sharing a process (the demo, benches, tests) train at once, as on separate
    // machines: each has its own trainer and the engine records gradients per thread.
    LocalUpdate trained =
        step.run(model, global, trainOn, new ClientSeeds(job.getSpec().getSeed(), r, index));
    Hash update = store.put(Safetensors.write(trained.delta()));
    return new Update(update, trained.sampleCount(), trained.meanLoss());
  }

  private void submit(Job job, long r, Update u) throws Exception {
    long loss = Double.isFinite(u.meanLoss()) ? Math.round(u.meanLoss() * 1e6) : Long.MAX_VALUE;
    announcement.ensure();
    tx.send(
        TrainingMessages.MODULE,
        TrainingMessages.SUBMIT_UPDATE,
        SubmitUpdate.newBuilder()
            .setJobId(job.getJobId())
            .setRound(r)
            .setUpdateHash(u.hash().toByteString())
            .setSampleCount(u.sampleCount())
            .setTrainLoss(loss)
            .setBlobLocation(blobUrl)
            .build());
    log.info(
        "{}: round {} update {} ({} samples, loss {}){}",
        name(),
        r,
        u.hash().toHex().substring(0, 12),
        u.sampleCount(),
        String.format("%.4f", u.meanLoss()),
        attack != null ? " poisoned by " + attack.name() : "");
  }

  /** A stored update: its blob's hash, the samples it was trained on and the mean loss. */
  private record Update(Hash hash, long sampleCount, double meanLoss) {}

  /** An update trained before its round opened, and what it was trained from ({@link #inputs}). */
  private record Ahead(String inputs, Update update) {}

  @Override
  void closeResources() {
    if (trainer != null) {
      trainer.close();
    }
  }
}
