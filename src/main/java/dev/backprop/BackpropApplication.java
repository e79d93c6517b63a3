package dev.backprop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Backprop: a REST service that trains feed-forward neural networks on tabular data. */
@SpringBootApplication
public class BackpropApplication {

    public static void main(String[] args) {
        SpringApplication.run(BackpropApplication.class, args);
    }
}
